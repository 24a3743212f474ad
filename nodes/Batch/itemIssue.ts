/** Why one input item cannot be sent: which field, which rule, and a sentence naming both. */
export interface ItemIssue {
	/** The parameter or item field at fault, e.g. `eventOptions.label`, `attributes.plan`, `meta.userId`. */
	field: string;
	/** A stable rule id, e.g. `maxLength`, `namePattern`, `timeWindow`. */
	rule: string;
	/** The sentence without the item prefix, e.g. `eventOptions.label is 241 characters; Batch allows at most 200`. */
	message: string;
}

export function issue(field: string, rule: string, message: string): ItemIssue {
	return { field, rule, message };
}

/**
 * Version 2's words for what went wrong: `[item N]`, the parameter's display name as the editor shows it, what
 * was wrong and how to fix it. Never an internal parameter name, never a key. Pure: the sentences the checks
 * (validation.ts, itemPreparation.ts) write are kept, with version 2's labels, and followed by how to fix them.
 */
import { issue, type ItemIssue } from '../itemIssue';
import type { IssueSubject, PreparationLabels } from '../itemPreparation';
import type { Platform } from '../platformRouting';
import type { RunMessages } from '../runBatchNode';

export const V2_NAMES = {
	customId: 'Custom User ID',
	installationId: 'Installation ID',
	eventName: 'Event Name',
	attributesObject: 'Attributes Object',
	store: 'Store',
} as const;

export const V2_LABELS: PreparationLabels = {
	identifierType: 'Identify Users By',
	time: 'Event Options › Time',
	label: 'Event Options › Label',
	tags: 'Event Options › Tags',
	attributes: 'Attributes',
	attributeEntry: (index) => `Attributes › attribute ${index + 1}`,
	attributeNamed: (name) => `Attributes › ${name}`,
	objectKey: (objectLabel, key) => `${objectLabel} › ${key}`,
};

/** `[item 3] …` (0-based, like n8n's paired items). */
export function v2ItemMessage(itemIndex: number, text: string): string {
	return `[item ${itemIndex}] ${text}`;
}

const capitalised = (text: string) => (text === '' ? text : text[0].toUpperCase() + text.slice(1));

/** The checks write `X is …; Batch allows …`: one sentence, then how to fix it. */
function withFix(found: ItemIssue, fix: string): string {
	const sentence = capitalised(found.message).replace(/\.$/, '');
	return `${sentence}. ${fix}`;
}

/** The final message of an issue found while preparing an item (see PreparationSettings.advise). */
export function adviseV2(subject: IssueSubject, found: ItemIssue): string {
	const { field, rule } = found;
	switch (subject) {
		case 'identifier':
			if (rule === 'required') {
				return field === V2_NAMES.installationId
					? `${field} is empty. Drag the installation ID from the input panel onto ${field}, or type one.`
					: `${field} is empty. Drag the user's ID from the input panel onto ${field}, or type one.`;
			}
			if (rule === 'type') return withFix(found, `Give ${field} the ID itself (text or a number), e.g. {{ $json.meta.userId }}.`);
			return withFix(found, `Check that ${field} gives the right field of the input.`);
		case 'identifierType':
			return withFix(found, `Choose Custom User ID under ${field}, or the Profile API.`);
		case 'eventName':
			if (rule === 'required') return `${field} is empty. Type the event's name (e.g. subscription_renewed) or drag it from the input panel.`;
			if (rule === 'namePattern') return withFix(found, 'Replace the other characters, e.g. with an expression ending in .replace(/[^a-z0-9_]/gi, "_").');
			return withFix(found, `Give ${field} text of at most 30 characters.`);
		case 'time':
			if (rule === 'timeWindow') return withFix(found, `Leave ${field} empty to use the time Batch receives the event.`);
			return withFix(found, `Give ${field} a date-time, or leave it empty.`);
		case 'label':
			return withFix(found, `Shorten ${field}.`);
		case 'tags':
			if (rule === 'emptyValue') return withFix(found, "Remove the empty tag (tags are separated by commas).");
			return withFix(found, `Give ${field} at most 10 tags of at most 64 characters, separated by commas.`);
		case 'attributesObject':
			return `${field} gives ${/ is (.*?);/.exec(found.message)?.[1] ?? 'something else'}; it must give an object whose keys become attributes, e.g. {{ $json.attributes }}. Leave it empty for none.`;
		case 'attributes':
			if (rule === 'required') return `${field}: nothing to update. Add an attribute under ${field}, or give an object in ${V2_NAMES.attributesObject}.`;
			return withFix(found, 'Send fewer attributes.');
		case 'store':
			return withFix(found, 'Check Store, or choose iOS, Android or Both as Platform.');
		case 'attribute':
			if (rule === 'reservedName' || rule === 'namePattern' || (rule === 'maxLength' && found.message.includes(' name "'))) {
				return withFix(found, 'Rename the attribute.');
			}
			if (rule === 'required') return withFix(found, 'Give the attribute a name and a value, or remove it.');
			if (rule === 'maxAttributes') return withFix(found, 'Send fewer attributes.');
			if (rule === 'emptyValue') {
				return withFix(
					found,
					`Give it a value, or remove the attribute; in ${V2_NAMES.attributesObject}, leave the key out (or give null to delete a profile attribute).`,
				);
			}
			return withFix(found, "Fix the value, or change the attribute's Type.");
	}
}

const APP_KEY_NAMES: Record<Platform, string> = { ios: 'iOS API Key (Live)', android: 'Android API Key (Live)' };

export const VERSION_2_MESSAGES: RunMessages = {
	noRestApiKey: 'The Batch API credential has no REST API Key. Open the credential and paste the REST API Key from Batch (Settings › General).',
	noProjectKey:
		'The Batch API credential has no Project Key, which the Profile API needs. Add it to the credential (Batch: Settings › General), or choose the Trigger Events API.',
	missingAppKey: (platform) =>
		issue(
			'Batch API credential',
			'missingCredential',
			`The Batch API credential has no ${APP_KEY_NAMES[platform]}, which the Trigger Events API needs to reach the ${platform === 'ios' ? 'iOS' : 'Android'} app. Add it to the credential, or change Platform.`,
		),
	format: v2ItemMessage,
};

/**
 * What a run outputs (option `output`, version 2):
 * - `eachItem` (default): one output item per input item, its outcome (outcomes.ts);
 * - `summary`: one output item for the whole run, the counts and every failed item's outcome (summaryItem.ts). The
 *   items are then prepared, sent and counted as they go (summaryRun.ts), and nothing is kept of an accepted item:
 *   for imports of many items.
 * Version 1 has no such option and always outputs one item per input item.
 */
import { readChoice, type ChoiceReading } from './optionChoiceReading';
import { OPTION_DEFAULTS } from './optionDefaults';

export type OutputSetting = 'eachItem' | 'summary';

export const OUTPUT_SETTINGS: readonly OutputSetting[] = ['eachItem', 'summary'];

/** The setting as stored (not added: `eachItem`); anything else is an error naming the option and its values. */
export function readOutputSetting(raw: unknown): ChoiceReading<OutputSetting> {
	return readChoice(raw, OUTPUT_SETTINGS, OPTION_DEFAULTS.output, 'Options → Output (options.output)');
}

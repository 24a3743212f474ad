/**
 * Which Profile API endpoint an execution writes to (option `endpoint`), and the rate budget of each.
 *
 * - `update`: `POST /2.<minor>/profiles/update`, Batch's endpoint "for continuous streams and rapid processing of
 *   small batches" (≤ 200 operations a call, 300 updates/s, bursts of 1,000).
 * - `massUpdate`: `POST /2.<minor>/profiles/mass-update`, "for large-scale periodic imports" (≤ 10,000 operations a
 *   call, 10,000 updates/s, no burst). Same headers, body and answers (partial errors by `bulk_index` included):
 *   https://doc.batch.com/developer/api/cep/profiles/mass-update-profile ("See Update profile for more details &
 *   examples on the request payload & error management").
 * - `auto`: mass update when the execution sends more operations than one `/update` burst, else `/update`.
 *
 * The Trigger Events API has one route: the option does not apply to it.
 */
import { AUTO_MASS_UPDATE_ABOVE, DEFAULT_RATE_LIMIT_PER_SECOND, PROFILE_ENDPOINT_LIMITS, type ProfileEndpoint } from './batchLimits';
import { readChoice, type ChoiceReading } from './optionChoiceReading';
import type { RateScope } from './rateLimiter';

export type EndpointSetting = 'auto' | ProfileEndpoint;

export const ENDPOINT_SETTINGS: readonly EndpointSetting[] = ['auto', 'update', 'massUpdate'];

/**
 * The setting as stored (`undefined` when the option was not added: the version's default). Anything else (an
 * expression giving an unknown value) is an error naming the option and the allowed values.
 */
export function readEndpointSetting(raw: unknown, versionDefault: EndpointSetting): ChoiceReading<EndpointSetting> {
	return readChoice(raw, ENDPOINT_SETTINGS, versionDefault, 'Options → Endpoint (options.endpoint)');
}

/** The endpoint for an execution that sends `operations` Profile API operations. */
export function chooseProfileEndpoint(setting: EndpointSetting, operations: number): ProfileEndpoint {
	if (setting !== 'auto') return setting;
	return operations > AUTO_MASS_UPDATE_ABOVE ? 'massUpdate' : 'update';
}

/** The Batch budget a request of this endpoint draws from (a separate registry key per endpoint). */
export function profileRateScopeApi(endpoint: ProfileEndpoint): RateScope['api'] {
	return endpoint === 'massUpdate' ? 'profileMassUpdate' : 'profile';
}

/**
 * Mass update's client-side rate, as a fraction of Batch's 10,000/s. With no burst, Batch's bucket is empty after
 * each full call and refills in exactly one second; a call that arrives a few milliseconds earlier than the second
 * after the previous one (network and event-loop jitter: the body of 10,000 operations is built and parsed on
 * each side) is refused whole with a 429, and its retry costs at least the backoff's 500 ms. 90% leaves about
 * 110 ms of slack per full call. Measured with the simulator enforcing Batch's figures, in a test process on a
 * loaded 2-core machine: 100,000 items met 9 × 429 and took 29 s at 100%, 4 × 429 and 19 s at 95%.
 */
export const MASS_UPDATE_CLIENT_RATE_SHARE = 0.9;

export interface RateSettings {
	ratePerSecond: number;
	burst: number;
}

/**
 * The client-side budget of a scope, from the Rate Limit options (which describe `/profiles/update` and the
 * Trigger Events API). Mass update has Batch's own figures (10,000/s less a margin, a bucket of one second's rate:
 * "no burst"); a
 * Rate Limit below Batch's 300/s (a share of the project's budget, e.g. one of several queue-mode workers)
 * lowers it in the same proportion, and 0 turns client-side limiting off for every endpoint.
 */
export function rateSettingsFor(api: RateScope['api'], configured: RateSettings): RateSettings {
	if (api !== 'profileMassUpdate') return configured;
	if (!(configured.ratePerSecond > 0)) return { ratePerSecond: 0, burst: 1 };
	const mass = PROFILE_ENDPOINT_LIMITS.massUpdate;
	const share = Math.min(1, configured.ratePerSecond / DEFAULT_RATE_LIMIT_PER_SECOND);
	const ratePerSecond = mass.ratePerSecond * share * MASS_UPDATE_CLIENT_RATE_SHARE;
	return { ratePerSecond, burst: Math.max(1, Math.floor(mass.burst * share)) };
}

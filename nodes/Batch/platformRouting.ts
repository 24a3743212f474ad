/**
 * Which Batch app (and so which app API key) a Trigger Events API item goes to.
 * The 1.0 API puts the app key in the URL, so iOS and Android are separate calls.
 */
import { describe } from './attributeTyping';
import { issue, type ItemIssue } from './itemIssue';

export type Platform = 'ios' | 'android';
export type PlatformSetting = 'fromStore' | 'ios' | 'android' | 'both';

/** Purchasely `store` values and the Batch app they belong to. */
export const STORE_PLATFORMS: Readonly<Record<string, Platform>> = {
	APPLE_APP_STORE: 'ios',
	GOOGLE_PLAY_STORE: 'android',
	AMAZON_APPSTORE: 'android',
	HUAWEI_APPGALLERY: 'android',
};

export type PlatformResult = { ok: true; platforms: Platform[] } | { ok: false; problem: ItemIssue };

export function platformsFor(setting: PlatformSetting, store: unknown, storeField: string): PlatformResult {
	switch (setting) {
		case 'ios':
			return { ok: true, platforms: ['ios'] };
		case 'android':
			return { ok: true, platforms: ['android'] };
		case 'both':
			return { ok: true, platforms: ['ios', 'android'] };
		case 'fromStore': {
			const platform = typeof store === 'string' ? STORE_PLATFORMS[store.trim().toUpperCase()] : undefined;
			if (platform) return { ok: true, platforms: [platform] };
			return {
				ok: false,
				problem: issue(
					storeField,
					'unknownStore',
					`${storeField} is ${describe(store)}; only APPLE_APP_STORE (iOS app key) and GOOGLE_PLAY_STORE, AMAZON_APPSTORE, HUAWEI_APPGALLERY (Android app key) map to a Batch app`,
				),
			};
		}
	}
}

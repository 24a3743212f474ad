'use strict';
// Keys and items shared by the benchmark scenarios (items shaped like the Purchasely Trigger's output).
const KEYS = {
	restApiKey: 'bench-rest-api-key',
	projectKey: 'project_bench',
	iosApiKey: 'BENCH_IOS_KEY',
	androidApiKey: 'BENCH_ANDROID_KEY',
};

function makeItems(count) {
	return Array.from({ length: count }, (_, index) => ({
		body: { plan: index % 2 ? 'premium_monthly' : 'premium_yearly', price: 9.99, renews: true, expires_at: '2030-01-01T00:00:00Z' },
		meta: { eventName: 'SUBSCRIPTION_RENEWED', userId: `user-${index}`, store: index % 2 ? 'GOOGLE_PLAY_STORE' : 'APPLE_APP_STORE' },
	}));
}

module.exports = { KEYS, makeItems };

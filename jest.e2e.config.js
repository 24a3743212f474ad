/**
 * End-to-end suite against a real n8n (2.41.1 on Node 24, installed into ~/.cache on first use)
 * with this package installed from its `npm pack` tarball. One n8n is started for the whole run
 * (test/e2e/globalSetup.js); tests run one file at a time. See docs/real-n8n-harness.md.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
	globalSetup: '<rootDir>/test/e2e/globalSetup.js',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.js',
	maxWorkers: 1, // runInBand: one n8n, one file at a time
	testTimeout: 5 * 60 * 1000,
	slowTestThreshold: 120,
};

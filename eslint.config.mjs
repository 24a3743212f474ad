// n8n's own community-node lint rules (the configuration `n8n-node lint` uses), unchanged,
// plus the narrow waivers listed below, each for one deliberate choice.
import { config } from '@n8n/node-cli/eslint';

export default [
	...config,
	{
		// Tooling that is not shipped in the package (tests, simulator, scripts, benchmarks)
		// is checked by TypeScript and the tests, not by the community-node rules.
		ignores: ['test/**', 'simulator/**', 'scripts/**', 'bench/**', 'templates/**', 'jest*.config.js', 'index.js', 'eslint.config.mjs'],
	},
	{
		// Waiver 1: `undici` is a deliberate runtime dependency. The Batch node sends batched,
		// rate-limited requests over a keep-alive connection pool with connect/headers/body
		// timeouts; n8n's `httpRequest` helper opens a connection per call and offers no pool.
		// n8n Cloud forbids runtime dependencies, so this package targets self-hosted n8n.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		// Waiver 2: `send-test-event` is a command-line tool, not node code: printing to the
		// terminal and reading process.argv / process.env is its whole job.
		files: ['bin/**/*.ts'],
		rules: { 'no-console': 'off', '@n8n/community-nodes/no-restricted-globals': 'off' },
	},
];

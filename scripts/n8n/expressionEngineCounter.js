// Counts expression-engine work inside a real n8n 2.x process. Loaded into n8n with
// NODE_OPTIONS="--require <this file>" (harness: startN8n({ env: expressionEngineCounterEnv(dir) })),
// used by the e2e tests and bench/inbound.js. It changes nothing n8n does: it wraps three methods,
// each time they are loaded, with a counter that calls through.
//
//   evaluations  Expression.prototype.renderExpression (n8n-workflow dist/cjs/expression.js): every
//                expression n8n evaluates, whichever engine (vm, legacy) runs it;
//   acquisitions ExpressionEvaluator.prototype.acquire (@n8n/expression-runtime
//                dist/cjs/evaluator/expression-evaluator.js): n8n asking for an isolate (under
//                N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true this only opens a scope);
//   isolates     IsolatedVmBridge.prototype.initialize / initializeSync (@n8n/expression-runtime
//                dist/cjs/bridge/isolated-vm-bridge.js): isolates actually built (the pool's warm
//                ones included, so counts per request are read as differences).
//
// The counts go to <ENGINE_COUNTER_DIR>/<pid>.json (at most every 100 ms, when changed, and at exit),
// one file per process (n8n main; its task runner also inherits NODE_OPTIONS and writes its own).
// Paths were read in n8n 2.41.1; on an n8n without these files (1.x) the counters stay 0 and
// `hooked` lists what was found.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const dir = process.env.ENGINE_COUNTER_DIR;
if (dir) {
	const counts = { evaluations: 0, acquisitions: 0, isolates: 0, hooked: [] };
	const file = path.join(dir, `${process.pid}.json`);
	let dirty = true;
	const write = () => {
		if (!dirty) return;
		dirty = false;
		try {
			fs.writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, argv: process.argv.slice(1, 3), ...counts }));
			fs.renameSync(`${file}.tmp`, file);
		} catch {
			/* the directory went away: nothing to report to */
		}
	};
	setInterval(write, 100).unref();
	process.on('exit', write);

	const count = (proto, method, counter) => {
		const original = proto && proto[method];
		if (typeof original !== 'function' || original.__engineCounter) return false;
		const wrapped = function (...args) {
			counts[counter]++;
			dirty = true;
			return original.apply(this, args);
		};
		wrapped.__engineCounter = true;
		proto[method] = wrapped;
		return true;
	};
	const TARGETS = [
		[path.join('n8n-workflow', 'dist', 'cjs', 'expression.js'), (e) => [[e.Expression?.prototype, 'renderExpression', 'evaluations']]],
		[
			path.join('expression-runtime', 'dist', 'cjs', 'evaluator', 'expression-evaluator.js'),
			(e) => [[e.ExpressionEvaluator?.prototype, 'acquire', 'acquisitions']],
		],
		[
			path.join('expression-runtime', 'dist', 'cjs', 'bridge', 'isolated-vm-bridge.js'),
			(e) => [
				[e.IsolatedVmBridge?.prototype, 'initialize', 'isolates'],
				[e.IsolatedVmBridge?.prototype, 'initializeSync', 'isolates'],
			],
		],
	];
	const loadJs = Module._extensions['.js'];
	Module._extensions['.js'] = function (module, filename) {
		const result = loadJs.call(this, module, filename);
		for (const [suffix, methods] of TARGETS) {
			if (!filename.endsWith(suffix)) continue;
			for (const [proto, method, counter] of methods(module.exports)) {
				if (count(proto, method, counter)) {
					counts.hooked.push(`${counter}:${method}`);
					dirty = true;
				}
			}
		}
		return result;
	};
}

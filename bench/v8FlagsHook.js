// Diagnostics for the real-n8n benchmark: sets V8 flags inside n8n main that NODE_OPTIONS refuses (Node accepts
// only some V8 flags there; `--trace-gc` and its kin are not among them).
//   BENCH_REAL_N8N_NODE_OPTIONS="--require $PWD/bench/v8FlagsHook.js" BENCH_V8_FLAGS="--trace-gc-nvp" node bench/realOutbound.js
// The trace goes to n8n's output (test-results/n8n-<version>-<port>.log). Not loaded unless asked for.
'use strict';
const flags = process.env.BENCH_V8_FLAGS;
if (flags) require('node:v8').setFlagsFromString(flags);

'use strict';
// Where the real-n8n scripts find this repository and put their output.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
/** Logs, tarballs and screenshots of the harness and the e2e suite (gitignored). */
const RESULTS_DIR = path.join(ROOT, 'test-results');
const PACKAGE_NAME = require(path.join(ROOT, 'package.json')).name;

module.exports = { ROOT, RESULTS_DIR, PACKAGE_NAME };

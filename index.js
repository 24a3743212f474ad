// n8n loads this package's nodes and credentials from the paths listed in the
// `n8n` section of package.json; this entry point exists only so that
// `require('n8n-nodes-purchasely-batch')` resolves. It exports nothing.
module.exports = {};

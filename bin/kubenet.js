#!/usr/bin/env node
// Starts from the bundled JavaScript (npm run build: tsc, then scripts/bundle.mjs): no
// transpiling or type-checking on each start, and few files to load. CommonJS, as the bundle is
// (bin/package.json): Node's ES module loader starts only if a run needs it.
const { cli } = require('../bundle/Taskfile.js');

cli().then((code) => {
  process.exitCode = code;
});

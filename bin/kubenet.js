#!/usr/bin/env node
// Starts from the bundled JavaScript (npm run build: tsc, then scripts/bundle.mjs): no
// transpiling or type-checking on each start, and few files to load.
import { cli } from '../bundle/Taskfile.js';

process.exitCode = await cli();

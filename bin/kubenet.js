#!/usr/bin/env node
// Starts from compiled JavaScript: no transpiling or type-checking on each start.
import { cli } from '../dist/Taskfile.js';

process.exitCode = await cli();

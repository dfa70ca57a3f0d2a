#!/usr/bin/env node
// The `gen` command: a thin shim over the compiled CLI (built by `npm run build`, run by `npm ci` via prepare).
import { main } from '../dist/generator/cli.js';

process.exitCode = await main(process.argv.slice(2));

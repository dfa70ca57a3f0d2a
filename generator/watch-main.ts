/**
 * Entry point of the child process that `gen build --watch` starts (see watchCommand in cli-build.ts): the
 * arguments come as JSON in the environment, and the exit code is the watch loop's.
 */
import { WATCH_CHILD, watchInProcess, type CommonFlags } from './cli-build.js';

const { dir, flags } = JSON.parse(process.env[WATCH_CHILD]!) as { dir: string; flags: CommonFlags };
process.exitCode = await watchInProcess(dir, flags);

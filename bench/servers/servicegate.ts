/**
 * servicegate serving a built project (argv[2]: the project dir, whose generated/index.ts is loaded through tsx):
 * argv[3] = 'fast' → createServer() (the runtime's own node:http path), 'express' → createExpressMiddleware()
 * mounted in an Express 5 app. Logs go to the same pino sink as the baselines.
 */
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createExpressMiddleware, createPinoLogger, createServer, type Manifest } from 'servicegate';
import { benchPino, serveForBench } from './common.js';

const [dir, mode = 'fast'] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: servicegate.ts <project dir> [fast|express]');
// The project's TypeScript (generated/ and its services) through tsx, as `gen serve` loads it; this file itself runs
// compiled (bench/lib/server-process.ts).
(await import('tsx/esm/api')).register();
const { manifest } = (await import(pathToFileURL(join(dir, 'generated', 'index.ts')).href)) as { manifest: Manifest };
const logger = createPinoLogger(benchPino());

if (mode === 'fast') {
  serveForBench(createServer(manifest, { logger }).server);
} else {
  // Loaded only in this mode: the fast path must not carry Express's memory and start-up cost for the bench.
  const { default: express } = await import('express');
  const app = express();
  app.use(createExpressMiddleware(manifest, { logger }));
  serveForBench(http.createServer(app));
}

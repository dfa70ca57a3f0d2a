/**
 * `createExpressMiddleware(manifest)` (CONTRACT §5): the same channels, mounted inside an existing Express app.
 * A request that is not a channel goes to `next()` untouched (no X-Zato-CID: the host app owns that answer).
 * Paths are matched against `req.url`, so `app.use('/v1', middleware)` serves `/v1` + each channel's path.
 * If a body parser ran earlier (`express.json()`), its parsed body is used as is and its limit applies.
 */
import type { RequestHandler } from 'express';
import type { Manifest } from './manifest.js';
import { createPipeline } from './pipeline.js';
import type { ServerOptions } from './server.js';

/** Throws StartupError like createServer when the manifest cannot be served. */
export function createExpressMiddleware(manifest: Manifest, options: Omit<ServerOptions, 'app'> = {}): RequestHandler {
  const pipeline = createPipeline(manifest, options);
  return (req, res, next) => {
    if (!pipeline.handle(req, res)) next();
  };
}

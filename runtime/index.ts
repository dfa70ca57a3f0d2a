/**
 * servicegate's runtime API: what service files import. Keep this module cheap to load: nothing from
 * generator/, typescript, ts-morph or yaml may be reachable from here.
 */
export { Service, kContext } from './service.js';
export type {
  ServiceMap, ServiceName, InputOf, OutputOf, Request, Response, HttpRequest, RequestHeaders, ChannelInfo, Logger,
  InvokeHost,
} from './service.js';
export { Model } from './model.js';
export type { Int, ModelClass } from './model.js';
export { ServiceError, BadRequest, Unauthorized, Forbidden, NotFound, Conflict } from './errors.js';
export type * from './manifest.js';
export { createServer, StartupError } from './server.js';
export type { ServerOptions, ServicegateServer } from './server.js';
export { createExpressMiddleware } from './express.js';
export { createPinoLogger, createPrettyLogger } from './logger.js';
export type { RequestLogger, RequestLogEntry, LogLevel } from './logger.js';
export { InvokeInputError } from './dispatch.js';

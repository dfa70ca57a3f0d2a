/**
 * Logging (CONTRACT §5.8): one structured line per request, plus what services and the runtime log.
 * JSON lines through pino by default; a compact human line when stdout is a terminal. A `RequestLogger` is a tiny
 * interface so tests and hosts can plug in their own sink; pino is loaded only when the default is used.
 */
import { createRequire } from 'node:module';
import type { Logger as PinoLogger } from 'pino';
import type { Logger } from './service.js';
import { copyOwn } from './objects.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The one line per request. `path` never includes the query string (it may carry secrets). */
export interface RequestLogEntry {
  readonly cid: string;
  readonly channel: string | null;
  readonly service: string | null;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly duration_ms: number;
}

export interface RequestLogger {
  request(entry: RequestLogEntry): void;
  /** Service and runtime messages; `fields` carries cid and service where known, and `err` for errors. */
  log(level: LogLevel, message: string, fields: Record<string, unknown>): void;
}

/** Discards everything (`logger: false`). */
export const silentLogger: RequestLogger = { request() {}, log() {} };

/** JSON lines through pino: the given instance, or a new one writing to stdout. */
export function createPinoLogger(instance?: PinoLogger): RequestLogger {
  const pino = instance ?? loadPino();
  return {
    request(entry) {
      pino.info(entry, 'request');
    },
    log(level, message, fields) {
      pino[level](fields, message);
    },
  };
}

function loadPino(): PinoLogger {
  const require = createRequire(import.meta.url);
  const factory = require('pino') as typeof import('pino');
  // Asynchronous writes keep a syscall per line off the request path; pino flushes what is pending on exit.
  // sonic-boom writes at most `maxWrite` bytes per event-loop turn (16 KiB by default): under sustained load a
  // busy loop turns too slowly for that, and the unwritten lines pile up in memory (the soak saw ~1 MB/s at
  // 6,000 requests/s). 1 MiB per write keeps up.
  const destination = factory.destination({ dest: 1, sync: false, maxWrite: 1024 * 1024 });
  return factory.pino({ base: { pid: process.pid }, timestamp: factory.stdTimeFunctions.isoTime }, destination);
}

function clock(): string {
  return new Date().toISOString().slice(11, 23);
}

function formatFields(fields: Record<string, unknown>): string {
  let out = '';
  for (const key of Object.keys(fields)) {
    if (key === 'err') continue;
    const value = fields[key];
    out += ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
  }
  return out;
}

/** A compact human-readable line per event, for a terminal. */
export function createPrettyLogger(write: (line: string) => void = (line) => process.stdout.write(line)): RequestLogger {
  return {
    request(e) {
      const service = e.service ?? '-';
      write(`${clock()} ${e.status} ${e.method} ${e.path} → ${service} ${e.duration_ms.toFixed(1)} ms cid=${e.cid}\n`);
    },
    log(level, message, fields) {
      const err = fields.err;
      const stack = err instanceof Error ? `\n${err.stack ?? String(err)}` : '';
      write(`${clock()} ${level.toUpperCase()} ${message}${formatFields(fields)}${stack}\n`);
    },
  };
}

/** Pretty on a terminal, JSON lines otherwise. */
export function createDefaultLogger(): RequestLogger {
  return process.stdout.isTTY ? createPrettyLogger() : createPinoLogger();
}

/** `this.logger` of a service: every line carries the cid and the service name. */
export class ServiceLogger implements Logger {
  readonly #sink: RequestLogger;
  readonly #cid: string;
  readonly #service: string;

  constructor(sink: RequestLogger, cid: string, service: string) {
    this.#sink = sink;
    this.#cid = cid;
    this.#service = service;
  }

  #write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    // The cid and service are written last so a service cannot overwrite them with its own fields. A copy, not
    // `{ ...fields, cid, service }`, which adds properties to a spread clone (see objects.ts).
    const line = copyOwn(fields);
    line.cid = this.#cid;
    line.service = this.#service;
    this.#sink.log(level, message, line);
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#write('debug', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.#write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.#write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.#write('error', message, fields);
  }
}

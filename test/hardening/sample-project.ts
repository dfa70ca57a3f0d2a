/**
 * The REAL customers sample, built by `gen build` into a temp project, plus decoy services that exist but are not
 * allowlisted (names a lax allowlist check — case folding, NFKC, percent-decoding, trimming — would let through),
 * a slow service for the shutdown test and soak, and services that fail in every way for the fault tests. Services are wrapped so that every execution is recorded: a bypass is
 * proved by what ran, not by what status came back.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, gen, tempProject, type TempProject } from '../helpers/project.js';
import { captureLogger, type Captured } from '../helpers/runtime-harness.js';
import { createServer, type ServerOptions } from '../../runtime/server.js';
import type { Manifest, ServiceSpec } from '../../runtime/manifest.js';

export const SAMPLE_ENV = { GATEWAY_PASSWORD: 'gw-hardening-secret', API_PASSWORD: 'api-hardening-secret' };
export const SAMPLE_ALLOWLIST = ['customer.get', 'customer.update', 'orders.create', 'orders.list'];
const b64 = (text: string) => Buffer.from(text).toString('base64');
export const SAMPLE_GATEWAY_AUTH = `Basic ${b64(`gateway:${SAMPLE_ENV.GATEWAY_PASSWORD}`)}`;
export const SAMPLE_API_AUTH = `Basic ${b64(`api:${SAMPLE_ENV.API_PASSWORD}`)}`;

/** Existing services outside the allowlist. Each is what some normalisation of an allowlisted name turns into. */
export const DECOYS = [
  'admin.purge',
  'Customer.Get', // case folding
  'CUSTOMER.GET',
  'ｃustomer.get', // U+FF43 fullwidth c: NFKC → customer.get
  'customer\u2024get', // U+2024 one dot leader: NFKC → customer.get
  'customer.get.', // trailing-dot trimming
  'customer.get;x=1', // matrix parameters
  'customer%2Eget', // a literal % name: decoded, it is allowlisted
  'customer.get%00',
  'customer.get\\..', // backslash as a separator
];

const decoyFile = (): string => {
  const classes = DECOYS.map((name, i) => `export class Decoy${i} extends Service {\n  name = ${JSON.stringify(name)};\n  handle() {}\n}\n`);
  return `import { Service } from 'servicegate';\n\n${classes.join('\n')}`;
};

const HARDENING_SERVICES = `import { Service, Model, type Int } from 'servicegate';

export class Waited extends Model {
  pid!: Int;
  waited_ms!: Int;
}

let waiting = 0;
let release: () => void = () => {};
const gate = new Promise<void>((resolve) => (release = resolve));

/**
 * Answers after ?ms= (default 300) milliseconds. With ?gate=N, every call first waits until N calls are inside
 * the service, and the N-th prints 'GATE OPEN N' on stdout: then exactly N requests are in flight.
 */
export class Wait extends Service {
  name = 'hardening.wait';
  output = Waited;

  async handle() {
    const ms = Number(this.request.http.query.ms ?? '300');
    const n = Number(this.request.http.query.gate ?? '0');
    if (n > 0) {
      if (++waiting === n) {
        process.stdout.write('GATE OPEN ' + n + '\\n');
        release();
      }
      await gate;
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.response.payload = { pid: process.pid, waited_ms: ms };
  }
}

export class Shape extends Model {
  name!: string;
  count!: Int;
}

export class Throws extends Service {
  name = 'faults.throw';
  handle() {
    throw new Error('db password is hunter2');
  }
}

export class Rejects extends Service {
  name = 'faults.reject';
  async handle() {
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new TypeError('async hunter2');
  }
}

export class RejectsWithoutError extends Service {
  name = 'faults.reject-undefined';
  handle(): Promise<void> {
    return Promise.reject(undefined);
  }
}

export class ThrowsString extends Service {
  name = 'faults.throw-string';
  handle() {
    throw 'hunter2 as a string';
  }
}

export class BeforeThrows extends Service {
  name = 'faults.before-throws';
  beforeHandle() {
    throw new RangeError('hunter2 in a hook');
  }
  handle() {}
}

export class WrongTypes extends Service {
  name = 'faults.wrong-types';
  output = Shape;
  handle() {
    this.response.payload = { name: 42, count: 'many' } as never;
  }
}

export class NotAnObject extends Service {
  name = 'faults.not-object';
  output = Shape;
  handle() {
    this.response.payload = 'hunter2' as never;
  }
}

export class MissingField extends Service {
  name = 'faults.missing-field';
  output = Shape;
  handle() {
    this.response.payload.name = 'no count';
  }
}

export class BadStatus extends Service {
  name = 'faults.bad-status';
  handle() {
    this.response.statusCode = 99;
  }
}

export class Never extends Service {
  name = 'faults.never';
  handle() {
    return new Promise<void>(() => {});
  }
}
`;

/** Fault services answer on /faults/<name>; a 0.3 s channel timeout makes `faults.never` a quick 504. */
export const FAULTS = ['throw', 'reject', 'reject-undefined', 'throw-string', 'before-throws', 'wrong-types', 'not-object',
  'missing-field', 'bad-status', 'never'];

const HARDENING_CHANNELS = `rest_channel:
  - name: Hardening wait
    url_path: /hardening/wait
    service: hardening.wait
    method: POST
    data_format: json
    security: api.credentials
${FAULTS.map((f) => `  - name: Fault ${f}
    url_path: /faults/${f}
    service: faults.${f}
    method: POST
    security: api.credentials
    timeout: 0.3
`).join('')}`;

/** Copies the sample, adds the decoys and the slow service, runs `gen build`; throws if the build fails. */
export function buildSampleProject(): TempProject {
  const project = tempProject(
    { 'services/decoys.ts': decoyFile(), 'services/hardening.ts': HARDENING_SERVICES, 'config/hardening.yaml': HARDENING_CHANNELS },
    join(REPO, 'samples', 'customers'),
  );
  const r = gen(['build', project.dir, '--quiet']);
  if (r.code !== 0) {
    project.remove();
    throw new Error(`gen build of the sample failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return project;
}

/** One execution of a service, as the hook saw it. */
export interface Execution {
  readonly service: string;
  readonly channelType: string;
}

interface ServiceLike {
  beforeHandle?(): unknown;
  channel?: { type: string };
}
type Impl = new () => ServiceLike;

/** Wraps every service so that each execution is recorded before any of the user's code runs. */
export function instrument(manifest: Manifest, executions: Execution[]): Manifest {
  const services: Record<string, ServiceSpec> = {};
  for (const [name, spec] of Object.entries(manifest.services)) {
    const Base = spec.impl as Impl;
    class Recorded extends Base {
      override beforeHandle(): unknown {
        executions.push({ service: name, channelType: this.channel?.type ?? '?' });
        return super.beforeHandle?.();
      }
    }
    services[name] = { ...spec, impl: Recorded };
  }
  return { ...manifest, services };
}

/** Imports generated/index.ts of a built project (the test process runs under tsx). */
export async function loadManifest(dir: string): Promise<Manifest> {
  const mod = (await import(pathToFileURL(join(dir, 'generated', 'index.ts')).href)) as { manifest: Manifest };
  return mod.manifest;
}

export interface SampleServer {
  readonly port: number;
  readonly executions: Execution[];
  readonly logs: Captured;
  close(): Promise<void>;
}

/** Serves a built sample in this process, instrumented, with a capturing logger, on 127.0.0.1 port 0. */
export async function startSample(dir: string, options: Omit<ServerOptions, 'env' | 'logger'> = {}): Promise<SampleServer> {
  const executions: Execution[] = [];
  const { logger, logs } = captureLogger();
  const manifest = instrument(await loadManifest(dir), executions);
  const sg = createServer(manifest, { env: SAMPLE_ENV, logger, ...options });
  const { port } = await sg.listen(0, '127.0.0.1');
  return { port, executions, logs, close: () => sg.close(1_000) };
}

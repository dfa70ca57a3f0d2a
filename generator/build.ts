/**
 * One build: files → read → IR → check → emit. Pure apart from reading the inputs; writing is write.ts's job,
 * so `gen build`, `gen check` and `gen serve` share this exactly.
 */
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { byName, compareCodePoints, type Project } from './ir.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { projectTitle, resolveOptions, type BuildOptions, type ResolvedOptions } from './options.js';
import { readServices, type ServicesReadResult } from './read/services.js';
import { readConfig, type ConfigReadResult } from './read/config.js';
import { checkServices } from './check/services.js';
import { checkChannels } from './check/channels.js';
import { checkPatterns } from './check/patterns.js';
import { emitRoutes } from './emit/routes.js';
import { emitAllowlist } from './emit/allowlist.js';
import { emitServiceMap } from './emit/service-map.js';
import { emitManifest } from './emit/manifest.js';
import { emitValidatorsParts } from './emit/validators.js';
import { ValidatorCache } from './emit/validators-cache.js';
import { jsonTextParts, TextCache } from './emit/text-cache.js';
import { OpenApiCache } from './emit/openapi-cache.js';
import { emitOpenApi } from './emit/openapi.js';
import { SHARED } from './emit/openapi-operation.js';
import { ClientCache, emitClient } from './emit/client.js';
import { BlockCache } from './emit/block-cache.js';
import { emitYamlParts } from './emit/yaml-text.js';
import { fingerprint, InputBytes, INPUTS_FILE } from './inputs.js';
import { outputBytes, outputFile, type OutputFile } from './write.js';
import type { BuildHelper } from './build-helper.js';
import { tenths } from './timings.js';

export type { BuildOptions, ResolvedOptions };

export interface BuildResult {
  readonly options: ResolvedOptions;
  readonly project: Project | null; // null when reading failed badly enough that nothing can be emitted
  readonly openapi: OpenAPIObject | null;
  readonly diagnostics: readonly Diagnostic[]; // sorted
  readonly files: readonly OutputFile[]; // empty when there are errors
  readonly timings: Readonly<Record<string, number>>; // ms per phase
}

/**
 * `helper` (build-helper.ts, started by the caller for these options, ideally before this module was loaded) reads
 * the config and emits validators.ts on a second thread; the result is the same with or without it. It is closed here.
 */
export function generate(options: BuildOptions, helper?: BuildHelper): BuildResult {
  const o = resolveOptions(options);
  try {
    let t = performance.now();
    const services = readServices(o.dir, o.services, helper?.sources());
    const readServicesMs = performance.now() - t;
    t = performance.now();
    const config = helper?.config() ?? readConfig(o.dir, o.config);
    const readConfigMs = performance.now() - t; // with a helper: the wait for it
    return generateFrom(o, services, config, { 'read services': tenths(readServicesMs), 'read config': tenths(readConfigMs) }, undefined, helper);
  } finally {
    helper?.close();
  }
}


/**
 * What emitters may keep from one build to the next (a watch mode keeps one); output never depends on it.
 */
export interface EmitCaches {
  readonly validators: ValidatorCache;
  /** Operations, path items and schemas (IR objects are immutable; the services reader reuses unchanged ones). */
  readonly openapi: OpenApiCache;
  /** Parts of openapi.json and openapi.yaml. */
  readonly openapiText: TextCache;
  readonly client: ClientCache;
  readonly manifest: BlockCache;
  readonly routes: BlockCache;
  readonly serviceMap: BlockCache;
  /** Input files' bytes for inputs.json, re-read only when a file's identity (inode, size, times) changed. */
  readonly inputs: InputBytes;
}

export function createEmitCaches(): EmitCaches {
  return {
    validators: new ValidatorCache(),
    openapi: new OpenApiCache(),
    openapiText: new TextCache(),
    client: new ClientCache(),
    manifest: new BlockCache(),
    routes: new BlockCache(),
    serviceMap: new BlockCache(),
    inputs: new InputBytes(),
  };
}

/**
 * Check and emit from inputs already read: what `generate` does after reading, and what the watch mode runs
 * after re-reading only what changed. `timings` are earlier phases to report along; `caches` (kept by the caller
 * across builds) let emitters reuse what did not change.
 */
export function generateFrom(
  o: ResolvedOptions,
  services: ServicesReadResult,
  config: ConfigReadResult,
  earlier: Readonly<Record<string, number>> = {},
  caches?: EmitCaches,
  helper?: BuildHelper,
): BuildResult {
  const timings: Record<string, number> = { ...earlier };
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = tenths(now - t);
    t = now;
  };
  const project: Project = {
    services: byName(services.services),
    models: byName(services.models),
    channels: byName(config.channels),
    security: byName(config.security),
    inputs: [...new Set([...services.files, ...config.files])].sort(compareCodePoints),
  };
  const diagnostics = sortDiagnostics([
    ...services.diagnostics,
    ...config.diagnostics,
    ...checkServices(project.services, project.models),
    ...checkChannels(project),
    ...checkPatterns(o),
  ]);
  lap('check');
  if (hasErrors(diagnostics)) return { options: o, project, openapi: null, diagnostics, files: [], timings };

  // Emitted on the helper's thread meanwhile (the emitters' caches live on this one: never both).
  const validators = helper && !caches ? helper.validators(project.models) : undefined;
  const files: OutputFile[] = [];
  const add = (path: string, content: string | string[] | Uint8Array): void => {
    files.push(typeof content === 'string' ? { path, content } : content instanceof Uint8Array ? outputBytes(path, content) : outputFile(path, content));
    lap(`emit ${path}`);
  };
  const openapi = emitOpenApi(project, { title: projectTitle(o.dir), version: '1.0.0' }, caches?.openapi);
  lap('emit openapi');
  add('allowlist.ts', emitAllowlist(project));
  add('client.ts', emitClient(project, caches?.client));
  add('index.ts', emitManifest(project, o.outRel, caches?.manifest));
  const inputs = (validators ? helper?.inputs(project.inputs) : undefined) ?? fingerprint(o.dir, o.services, o.config, project.inputs, caches?.inputs);
  add(INPUTS_FILE, `${JSON.stringify(inputs, null, 2)}\n`);
  caches?.openapiText.begin();
  add('openapi.json', jsonTextParts({ 'x-generated-by': GENERATED_NOTE, ...openapi }, caches?.openapiText, '\n'));
  add('openapi.yaml', emitYamlParts(openapi, caches?.openapiText, `# ${GENERATED_NOTE}\n`, SHARED));
  add('routes.ts', emitRoutes(project, caches?.routes));
  add('service-map.ts', emitServiceMap(project, o.outRel, caches?.serviceMap));
  const made = validators?.();
  if (made) {
    files.push(outputBytes('validators.ts', made.bytes, made.file));
    lap('emit validators.ts');
  } else add('validators.ts', emitValidatorsParts(project.models, caches?.validators));
  return { options: o, project, openapi, diagnostics, files, timings };
}

export const GENERATED_NOTE = 'Generated by servicegate (gen build). Do not edit: run `gen build` instead.';

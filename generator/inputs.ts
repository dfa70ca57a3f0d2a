/**
 * The fingerprint of a build's inputs (generated/inputs.json), so `gen serve` can tell in milliseconds whether
 * generated/ is stale without loading TypeScript: the generator version, the globs, and every input file's bytes.
 * Deterministic: relative paths, sorted, no timestamps.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from './read/files.js';

export interface InputsRecord {
  readonly generator: string;
  readonly services: readonly string[]; // globs
  readonly config: readonly string[]; // globs
  readonly files: readonly string[]; // every file read, relative to the project dir
  readonly hash: string;
}

export const INPUTS_FILE = 'inputs.json';

/** The servicegate version that generated the output: part of the fingerprint. */
export function generatorVersion(): string {
  // This module runs from generator/ (sources, under tsx) and from dist/generator/ (the package): find the root.
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'servicegate') return `servicegate ${pkg.version}`;
    } catch {
      // not this level
    }
  }
  return 'servicegate';
}

/**
 * The bytes of input files kept from one fingerprint to the next by a watch mode, which calls `forget` for every
 * path a file event names (and `forgetAll` when an event names none): the same events that make its services reader
 * reload a file, so the fingerprint is of the bytes as they are after the last event, like the rebuilt output.
 * An event always follows the write it reports, so bytes read before a write are forgotten before the next build.
 */
export class InputBytes {
  private files = new Map<string, Buffer>();

  forget(file: string): void {
    this.files.delete(file);
  }

  forgetAll(): void {
    this.files = new Map();
  }

  /** The bytes of the files read by the latest fingerprint, keeping only those (files no longer read are dropped). */
  read(files: readonly string[]): Buffer[] {
    const next = new Map<string, Buffer>();
    const out = files.map((file) => {
      const bytes = this.files.get(file) ?? readFileSync(file);
      next.set(file, bytes);
      return bytes;
    });
    this.files = next;
    return out;
  }
}

/**
 * The record of `files` (relative to `dir`, as a build lists its inputs). `bytes` gives their bytes (a watch mode's
 * InputBytes, or the build helper's thread, which has read them already); without it they are read here.
 */
export function fingerprint(
  dir: string,
  services: readonly string[],
  config: readonly string[],
  files: readonly string[],
  bytes?: Pick<InputBytes, 'read'>,
): InputsRecord {
  const hash = createHash('sha256');
  const generator = generatorVersion();
  hash.update(`${generator}\0${services.join('\0')}\0\0${config.join('\0')}\0\0`);
  const read = bytes ? bytes.read(files.map((file) => join(dir, file))) : undefined;
  files.forEach((file, i) => {
    hash.update(`${file}\0`);
    hash.update(read ? read[i]! : readFileSync(join(dir, file)));
    hash.update('\0');
  });
  return { generator, services, config, files, hash: hash.digest('hex') };
}

/** Why `generated/` is stale ('' when it is current): a missing record, a new, removed or changed input file. */
export function staleness(dir: string, outDir: string, services: readonly string[], config: readonly string[]): string {
  let record: InputsRecord;
  try {
    record = JSON.parse(readFileSync(join(outDir, INPUTS_FILE), 'utf8')) as InputsRecord;
  } catch {
    return 'no previous build';
  }
  if (record.services.join('\0') !== services.join('\0') || record.config.join('\0') !== config.join('\0')) {
    return 'the service or config globs changed';
  }
  const known = new Set(record.files);
  const added = [...listFiles(dir, services), ...listFiles(dir, config)].find((f) => !known.has(f));
  if (added !== undefined) return `${added} is new`;
  try {
    if (fingerprint(dir, services, config, record.files).hash !== record.hash) return 'an input file changed';
  } catch {
    return 'an input file was removed';
  }
  return '';
}

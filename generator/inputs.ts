/**
 * The fingerprint of a build's inputs (generated/inputs.json), so `gen serve` can tell in milliseconds whether
 * generated/ is stale without loading TypeScript: the generator version, the globs, and every input file's bytes.
 * Deterministic: relative paths, sorted, no timestamps.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Generations } from './generations.js';
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
 * The bytes of input files kept from one fingerprint to the next (a watch mode keeps one), by path, with the file's
 * identity (device, inode, size, modification and change times) when read: a file whose identity is the same is
 * not read again. File times are coarse (a few ms on Linux, more elsewhere), so a file changed shortly before it
 * was read could change again, at the same size, without a new time; such bytes are not kept ("racily clean", as
 * git calls it): only files whose times are at least `settleMs` older than the read.
 */
export class InputBytes {
  private readonly files = new Generations<string, { readonly key: string; readonly bytes: Buffer }>();

  constructor(private readonly settleMs = 2000) {}

  begin(): void {
    this.files.begin();
  }

  read(file: string): Buffer {
    const s = statSync(file, { bigint: true });
    const key = `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    const old = this.files.get(file);
    if (old !== undefined && old.key === key) return this.files.keep(file, old).bytes;
    const settled = BigInt(Date.now() - this.settleMs) * 1_000_000n;
    const bytes = readFileSync(file);
    if (s.mtimeNs < settled && s.ctimeNs < settled) this.files.keep(file, { key, bytes });
    return bytes;
  }
}

export function fingerprint(
  dir: string,
  services: readonly string[],
  config: readonly string[],
  files: readonly string[],
  cache?: InputBytes,
): InputsRecord {
  const hash = createHash('sha256');
  const generator = generatorVersion();
  hash.update(`${generator}\0${services.join('\0')}\0\0${config.join('\0')}\0\0`);
  cache?.begin();
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(cache ? cache.read(join(dir, file)) : readFileSync(join(dir, file)));
    hash.update('\0');
  }
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

/**
 * Models (and the services of a file, below) read by an earlier read of the same ProgramIndex (the watch mode), reused when nothing they were read
 * from has changed: the declaration is the same node (a reloaded file has new nodes), every file the reading
 * resolved names into is still loaded unchanged (a reload makes a new FileInfo), and every path it looked for in
 * vain is still missing.
 *
 * Only readings that are self-contained are kept: no diagnostics (those would have to be replayed exactly once)
 * and no use of another model's memoised fields or alias types (whose files would not be in the track).
 */
import { existsSync } from 'node:fs';
import type { ModelDecl, ServiceDecl } from '../ir.js';
import { Generations } from '../generations.js';
import type { FileInfo, FileTrack, LocalDecl, ProgramIndex } from './ts-scope.js';

/** A model registration made while reading: the models it refers to, replayed in order on reuse. */
export type Registration = readonly [decl: LocalDecl, file: FileInfo, kind: 'object' | 'enum' | 'union'];

export interface CachedModel {
  readonly decl: LocalDecl;
  readonly kind: string;
  readonly files: readonly FileInfo[];
  readonly missing: readonly string[];
  readonly registrations: readonly Registration[];
  readonly model: ModelDecl | undefined;
}

/** Kept by a services reader across reads; keyed by declaration key (file and offset). */
export class ModelCache {
  private readonly entries = new Generations<string, CachedModel>();

  /** Starts a read: entries not used or stored by it are dropped at the next begin(). */
  begin(): void {
    this.entries.begin();
  }

  /** The earlier reading of `key` if it still holds for `decl` in `index`. */
  lookup(index: ProgramIndex, key: string, decl: LocalDecl, kind: string): CachedModel | undefined {
    const e = this.entries.get(key);
    if (!e || e.decl !== decl || e.kind !== kind) return undefined;
    if (!holds(index, e.files, e.missing)) return undefined;
    return this.entries.keep(key, e);
  }

  store(key: string, decl: LocalDecl, kind: string, track: FileTrack, registrations: readonly Registration[], model: ModelDecl | undefined): void {
    this.entries.keep(key, { decl, kind, files: [...track.files], missing: [...track.missing], registrations, model });
  }
}

/**
 * The services read from one service file by an earlier read, reused like models: same file object, every file
 * their reading resolved into unchanged, every path looked for in vain still missing, and no diagnostics.
 */
export interface CachedServices {
  readonly file: FileInfo;
  readonly files: readonly FileInfo[];
  readonly missing: readonly string[];
  readonly registrations: readonly Registration[];
  readonly services: readonly ServiceDecl[];
}

export class ServiceCache {
  private readonly entries = new Generations<string, CachedServices>();

  begin(): void {
    this.entries.begin();
  }

  lookup(index: ProgramIndex, file: FileInfo): CachedServices | undefined {
    const e = this.entries.get(file.abs);
    if (!e || e.file !== file || !holds(index, e.files, e.missing)) return undefined;
    return this.entries.keep(file.abs, e);
  }

  store(file: FileInfo, track: FileTrack, registrations: readonly Registration[], services: readonly ServiceDecl[]): void {
    this.entries.keep(file.abs, { file, files: [...track.files], missing: [...track.missing], registrations, services });
  }
}

function holds(index: ProgramIndex, files: readonly FileInfo[], missing: readonly string[]): boolean {
  return files.every((f) => index.current(f.abs) === f) && !missing.some((abs) => index.has(abs) || existsSync(abs));
}

/**
 * What emitOpenApi keeps from one build to the next in a watch mode, so that an edit of one model does not
 * rebuild (and re-serialise) 2,000 operations: operation objects by a key of everything emitOperation reads
 * (operationKey), path items whose operations are all the same objects, component schemas by model object, and the
 * `$ref`s found in each operation. IR objects are immutable, and none of these objects is changed after it is made,
 * so a reused object is what would be built again; the document is the same either way.
 */
import type { OperationObject, PathItemObject, SchemaObject } from 'openapi3-ts/oas31';
import { Generations } from '../generations.js';
import type { ModelDecl } from '../ir.js';

export class OpenApiCache {
  readonly schemas = new WeakMap<ModelDecl, SchemaObject>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;
  private readonly refs = new WeakMap<OperationObject, readonly string[]>();
  private readonly ops = new Generations<string, OperationObject>();
  private readonly items = new Generations<string, PathItemObject>();

  /** Starts a build: what the previous build used is what this one can reuse. */
  begin(): void {
    this.ops.begin();
    this.items.begin();
  }

  /** A number for an object, the same for as long as the object lives: part of keys. */
  id(o: object): number {
    let n = this.ids.get(o);
    if (n === undefined) this.ids.set(o, (n = this.nextId++));
    return n;
  }

  operation(key: string, make: () => OperationObject): OperationObject {
    return this.ops.keep(key, this.ops.get(key) ?? make());
  }

  /** The path item of `path` with these operations (in this order): the previous one if it had the same objects. */
  pathItem(path: string, entries: readonly (readonly [string, OperationObject])[]): PathItemObject {
    const old = this.items.get(path);
    const same =
      old !== undefined &&
      Object.keys(old).length === entries.length &&
      entries.every(([method, op], i) => Object.keys(old)[i] === method && (old as Record<string, unknown>)[method] === op);
    const item: PathItemObject = same ? old : {};
    if (!same) for (const [method, op] of entries) (item as Record<string, unknown>)[method] = op;
    return this.items.keep(path, item);
  }

  /** The `$ref` strings anywhere in `op`, found once per operation object. */
  refsIn(op: OperationObject, find: (value: unknown) => string[]): readonly string[] {
    let r = this.refs.get(op);
    if (r === undefined) this.refs.set(op, (r = find(op)));
    return r;
  }
}

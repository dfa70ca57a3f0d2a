/**
 * What emitOpenApi keeps from one build to the next in a watch mode, so that an edit of one model does not
 * rebuild (and re-serialise) 2,000 operations: the operation plan while the channels and service names are the
 * same, operation objects while everything emitOperation reads is the same (operationDeps, compared item by item:
 * IR objects by identity), path items whose operations are all the same objects, component schemas by model
 * object, and the `$ref`s found in each operation. IR objects are immutable (the services reader reuses unchanged
 * ones and makes new ones for anything it re-reads), and none of these objects is changed after it is made, so a
 * reused object is what would be built again; the document is the same either way.
 */
import type { OperationObject, PathItemObject, SchemaObject } from 'openapi3-ts/oas31';
import { Generations, sameItems } from '../generations.js';
import type { ChannelDecl, ModelDecl, Project, ServiceDecl } from '../ir.js';
import type { PlannedOperation } from './openapi-plan.js';

interface CachedOperation {
  readonly deps: readonly unknown[];
  readonly operation: OperationObject;
}

interface CachedPlan {
  readonly channels: readonly ChannelDecl[];
  readonly services: readonly ServiceDecl[];
  readonly ops: readonly PlannedOperation[];
}

export class OpenApiCache {
  readonly schemas = new WeakMap<ModelDecl, SchemaObject>();
  private readonly refs = new WeakMap<OperationObject, readonly string[]>();
  private readonly ops = new Generations<string, CachedOperation>();
  private readonly items = new Generations<string, PathItemObject>();
  private plan: CachedPlan | null = null;
  private error: SchemaObject | undefined;

  /** Starts a build: what the previous build used is what this one can reuse. */
  begin(): void {
    this.ops.begin();
    this.items.begin();
  }

  /**
   * The operations of `project` (what `make` gives): the previous build's while the channels are the same objects
   * and the services have the same names in the same order. Planning reads services only by name (which exist, and
   * their names for operationIds), so only the service objects of the operations are brought up to date.
   */
  operations(project: Project, make: () => PlannedOperation[]): readonly PlannedOperation[] {
    const old = this.plan;
    let ops: readonly PlannedOperation[];
    if (old !== null && sameItems(old.channels, project.channels) && sameNames(old.services, project.services)) {
      const byName = new Map(project.services.map((s) => [s.name, s]));
      ops = old.ops.map((op) => {
        const service = byName.get(op.service.name)!;
        return service === op.service ? op : { ...op, service };
      });
    } else ops = make();
    this.plan = { channels: project.channels, services: project.services, ops };
    return ops;
  }

  /** The operation at `key` (its method and path) if it was made from the same `deps` (by identity), else `make`'s. */
  operation(key: string, deps: readonly unknown[], make: () => OperationObject): OperationObject {
    const old = this.ops.get(key);
    if (old !== undefined && sameItems(old.deps, deps)) return this.ops.keep(key, old).operation;
    return this.ops.keep(key, { deps, operation: make() }).operation;
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

  /** The error body schema: one object for every build (it never changes), so its text is found by identity. */
  errorSchema(make: () => SchemaObject): SchemaObject {
    return (this.error ??= make());
  }
}

function sameNames(a: readonly { readonly name: string }[], b: readonly { readonly name: string }[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.name !== b[i]!.name) return false;
  return true;
}

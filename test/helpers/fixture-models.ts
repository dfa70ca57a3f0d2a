/**
 * Hand-written CompiledModels for the runtime tests: a tiny field-table implementation of the contract in
 * runtime/manifest.ts (validate reports every problem with a JSON Pointer, parse applies defaults and drops unknown
 * fields, serialize writes declared fields only). The real ones are generated code; these only need to be honest.
 */
import type { CompiledModel, ParamType, ValidationIssue } from '../../runtime/manifest.js';

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'unknown';

export interface FieldDef {
  type: FieldType;
  optional?: boolean;
  default?: unknown;
  minimum?: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function pointer(path: string, key: string): string {
  return `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function checkType(type: FieldType, value: unknown): string | null {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? null : 'must be string';
    case 'integer':
      return Number.isInteger(value) ? null : 'must be integer';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be boolean';
    case 'date':
      return typeof value === 'string' && ISO.test(value) ? null : 'must be a date-time string';
    default:
      return null;
  }
}

/** A compiled model over a field table. `serializeThrows` makes serialize fail, for the 500 path. */
export function model<T = Record<string, unknown>>(
  name: string,
  fields: Record<string, FieldDef>,
  opts: { serializeThrows?: boolean } = {},
): CompiledModel<T> {
  const params: Record<string, ParamType> = {};
  for (const [key, def] of Object.entries(fields)) params[key] = def.type === 'unknown' ? 'other' : def.type;
  return {
    name,
    params,
    validate(value: unknown): ValidationIssue[] | null {
      const path = '';
      const issues: ValidationIssue[] = [];
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        issues.push({ path, message: 'must be object' });
        return issues;
      }
      for (const [key, def] of Object.entries(fields)) {
        const v = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
        if (v === undefined) {
          if (!def.optional && def.default === undefined) issues.push({ path: pointer(path, key), message: 'is required' });
          continue;
        }
        const problem = checkType(def.type, v);
        if (problem !== null) issues.push({ path: pointer(path, key), message: problem });
        else if (def.minimum !== undefined && (v as number) < def.minimum) {
          issues.push({ path: pointer(path, key), message: `must be >= ${def.minimum}` });
        }
      }
      return issues.length === 0 ? null : issues;
    },
    parse(value: unknown): T {
      const out: Record<string, unknown> = {};
      for (const [key, def] of Object.entries(fields)) {
        const v = Object.hasOwn(value as object, key) ? (value as Record<string, unknown>)[key] : undefined;
        if (v !== undefined) out[key] = def.type === 'date' ? new Date(v as string) : v;
        else if (def.default !== undefined) out[key] = def.default;
      }
      return out as T;
    },
    serialize(value: T): string {
      if (opts.serializeThrows) throw new Error('cannot serialise: secret internals');
      const out: Record<string, unknown> = {};
      for (const [key, def] of Object.entries(fields)) {
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined) {
          if (!def.optional) throw new Error(`${name}.${key} is required in the output`);
          continue;
        }
        out[key] = v instanceof Date ? v.toISOString() : v;
      }
      return JSON.stringify(out);
    },
  };
}

/**
 * The curl lines `gen serve` prints: one per direct channel and one per allowlisted service of each gateway channel,
 * with a request body built from the input schema in openapi.json (examples first, then the smallest valid value).
 */
import type { Manifest, SecuritySpec } from '../runtime/manifest.js';

type Schema = Record<string, any>;

/** A value that satisfies `schema` (for the sample's models: their @example values, else minimal valid values). */
export function exampleValue(schema: Schema, components: Record<string, Schema>, depth = 0): unknown {
  if (depth > 8) return null;
  if (schema.$ref) return exampleValue(components[String(schema.$ref).split('/').pop()!] ?? {}, components, depth + 1);
  if (schema.examples?.length) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.anyOf?.length) return exampleValue(schema.anyOf[0], components, depth + 1);
  if (schema.oneOf?.length) return exampleValue(schema.oneOf[0], components, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = exampleValue(schema.properties?.[name] ?? {}, components, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => exampleValue(schema.items ?? {}, components, depth + 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'string':
      return ({ email: 'user@example.com', uuid: '00000000-0000-4000-8000-000000000000', uri: 'https://example.com/',
        date: '2026-01-01', 'date-time': '2026-01-01T00:00:00Z', ipv4: '192.0.2.1', ipv6: '2001:db8::1' } as Record<string, string>)[
        schema.format] ?? 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return null;
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function credentials(def: SecuritySpec | undefined, env: Record<string, string | undefined>, reveal: boolean): string {
  if (!def) return '';
  const value = (v: string | { env: string }) =>
    typeof v === 'string' ? v : reveal && env[v.env] ? env[v.env]! : `$${v.env}`;
  // Unrevealed values stay shell variable references ("$VAR"), so the line works in a shell that exported them.
  if (def.type === 'basic_auth') {
    const user = value(def.username);
    const pass = value(def.password);
    return user.startsWith('$') || pass.startsWith('$') ? ` -u "${user}:${pass}"` : ` -u ${shellQuote(`${user}:${pass}`)}`;
  }
  const key = value(def.password);
  return key.startsWith('$') ? ` -H "${def.header}: ${key}"` : ` -H ${shellQuote(`${def.header}: ${key}`)}`;
}

export interface ExampleOptions {
  readonly baseUrl: string;
  readonly env: Record<string, string | undefined>;
  readonly reveal: boolean; // print secret values from env (the demo); otherwise $VAR references
}

export function curlLines(manifest: Manifest, openapi: Schema, options: ExampleOptions): string[] {
  const components: Record<string, Schema> = openapi.components?.schemas ?? {};
  const security = new Map(manifest.security.map((s) => [s.name, s]));
  const body = (path: string, method: string) => {
    const op = openapi.paths?.[path]?.[method.toLowerCase()];
    const schema = op?.requestBody?.content?.['application/json']?.schema;
    return schema ? JSON.stringify(exampleValue(schema, components)) : '{}';
  };
  const lines: string[] = [];
  for (const c of manifest.channels) {
    if (!c.isActive) continue;
    const auth = credentials(c.security ? security.get(c.security) : undefined, options.env, options.reveal);
    if (c.type === 'gateway') {
      for (const name of c.allowlist) {
        const path = c.path.replace('{service}', name);
        const user = " -H 'x-zato-username: jane'";
        lines.push(`# ${c.name} → ${name}`);
        lines.push(`curl -s${auth}${user} -H 'content-type: application/json' -d ${shellQuote(body(path, 'post'))} ${options.baseUrl}${path}`);
      }
    } else if (!/\{/.test(c.path)) {
      const method = c.method ?? 'POST';
      lines.push(`# ${c.name} → ${c.service}`);
      lines.push(`curl -s${auth} -X ${method} -H 'content-type: application/json' -d ${shellQuote(body(c.path, method))} ${options.baseUrl}${c.path}`);
    }
  }
  return lines;
}

/**
 * generated/routes.ts: the typed route table (every channel) and the security table (definitions with their
 * `${VAR}` references, never a secret), both `as const` with a source pointer per entry.
 */
import { compareCodePoints, type ChannelDecl, type Project, type SecurityDecl } from '../ir.js';
import { HEADER } from '../../templates/header.js';
import { commentText, lit, where } from '../../templates/ts.js';
import { allowFunctionName } from './allowlist.js';
import { block, type BlockCache } from './block-cache.js';

/**
 * The contents of generated/routes.ts. With `cache` (kept by a watch mode) the text is reused while the channels
 * and security definitions are the same objects (the config is re-read only when it changed).
 */
export function emitRoutes(project: Project, cache?: BlockCache): string {
  cache?.begin();
  return block(cache, 'routes', () => [...project.channels, null, ...project.security], () => routesText(project));
}

function routesText(project: Project): string {
  const gateways = project.channels.filter((c) => c.kind === 'gateway');
  const out: string[] = [HEADER];
  out.push("import type { ChannelSpec, SecuritySpec } from 'servicegate';");
  if (gateways.length > 0) {
    const names = gateways.map((c) => allowFunctionName(project.channels, c)).sort(compareCodePoints);
    out.push(`import { ${names.join(', ')} } from './allowlist.js';`);
  }
  out.push('');
  out.push('/** Security definitions; passwords are environment-variable references resolved when the server starts. */');
  out.push('export const security = [');
  for (const s of project.security) out.push(...emitSecurity(s));
  out.push('] as const satisfies readonly SecuritySpec[];');
  out.push('');
  out.push('/** Every channel, sorted by name. */');
  out.push('export const channels = [');
  for (const c of project.channels) out.push(...emitChannel(project, c));
  out.push('] as const satisfies readonly ChannelSpec[];');
  out.push('');
  out.push('export type ChannelName = (typeof channels)[number][\'name\'];');
  out.push('');
  return out.join('\n');
}

function secret(value: string | { readonly env: string }): string {
  return typeof value === 'string' ? lit(value) : `{ env: ${lit(value.env)} }`;
}

function emitSecurity(s: SecurityDecl): string[] {
  return [
    `  // ${where(s.loc)} ${commentText(s.name)}`,
    `  { name: ${lit(s.name)}, type: ${lit(s.type)}, username: ${secret(s.username)}, password: ${secret(s.password)}, ` +
      `realm: ${lit(s.realm)}, header: ${lit(s.header.toLowerCase())} },`,
  ];
}

function emitChannel(project: Project, c: ChannelDecl): string[] {
  const gateway = c.kind === 'gateway';
  const deprecation = c.deprecated
    ? `{ ${[
        c.deprecation?.sunset !== undefined ? `sunset: ${lit(c.deprecation.sunset)}` : '',
        c.deprecation?.successor !== undefined ? `successor: ${lit(c.deprecation.successor)}` : '',
      ]
        .filter(Boolean)
        .join(', ')} }`
    : 'null';
  return [
    `  // ${where(c.loc)} ${commentText(c.name)}`,
    '  {',
    `    name: ${lit(c.name)},`,
    `    type: ${lit(c.kind)},`,
    `    method: ${gateway ? lit('POST') : c.method === null ? 'null' : lit(c.method)},`,
    `    path: ${lit(c.urlPath)},`,
    `    service: ${gateway ? 'null' : lit(c.service)},`,
    `    security: ${c.security === null ? 'null' : lit(c.security)},`,
    `    allows: ${gateway ? allowFunctionName(project.channels, c) : 'null'},`,
    `    allowlist: [${c.gatewayServiceList.map(lit).join(', ')}],`,
    `    timeoutMs: ${Math.round(c.timeout * 1000)},`,
    `    maxBodySize: ${c.maxBodySize},`,
    `    isActive: ${c.isActive},`,
    `    deprecation: ${deprecation},`,
    `    source: ${lit(where(c.loc))},`,
    '  },',
  ];
}

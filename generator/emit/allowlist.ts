/**
 * generated/allowlist.ts: one membership check per gateway channel over exactly its gateway_service_list.
 *
 * Each check is a lookup in a module-private Set built from string literals: exact code-unit equality, no case folding,
 * no decoding, nothing inherited (a Set has no prototype keys, unlike an object map, so `__proto__` or
 * `constructor` can never match). A hash lookup compares a candidate only with the entry in its bucket, so its time
 * says nothing about how much of an allowlisted name a caller guessed — and the list is public in the OpenAPI
 * document anyway; what must not leak is which *existing* services are not listed, and the runtime answers both
 * cases with the same 404.
 */
import type { ChannelDecl, Project } from '../ir.js';
import { HEADER } from '../../templates/header.js';
import { commentText, identifier, lit, where } from '../../templates/ts.js';

/** The exported function name of a gateway channel's check: `allows_<channel>`, unique across channels. */
export function allowFunctionName(channels: readonly ChannelDecl[], channel: ChannelDecl): string {
  const gateways = channels.filter((c) => c.kind === 'gateway');
  const base = `allows_${identifier(channel.name)}`;
  const clashing = gateways.filter((c) => `allows_${identifier(c.name)}` === base);
  return clashing.length > 1 ? `${base}_${clashing.indexOf(channel)}` : base;
}

export function emitAllowlist(project: Project): string {
  const out: string[] = [HEADER, ''];
  for (const c of project.channels) {
    if (c.kind !== 'gateway') continue;
    const fn = allowFunctionName(project.channels, c);
    const set = `${fn}_set`;
    out.push(`// ${where(c.loc)} ${commentText(c.name)}`);
    out.push(`const ${set}: ReadonlySet<string> = new Set<string>([`);
    for (const name of c.gatewayServiceList) out.push(`  ${lit(name)},`);
    out.push(']);');
    out.push('');
    out.push(`/** True when the gateway channel ${commentText(c.name)} may call \`service\` (exact match). */`);
    out.push(`export function ${fn}(service: string): boolean {`);
    out.push(`  return typeof service === 'string' && ${set}.has(service);`);
    out.push('}');
    out.push('');
  }
  if (out.length === 2) out.push('export {};', '');
  return out.join('\n');
}

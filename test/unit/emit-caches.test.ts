/**
 * The watch mode's caches of the smaller generated files (index.ts, service-map.ts, routes.ts, the service and
 * channel tables of client.ts) and of input bytes (inputs.json): with a cache kept across builds, each output is
 * what a build from scratch gives, through edits that change what the cached blocks are made from. IR objects are
 * reused from step to step where the watch mode's reader would reuse them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelDecl, ModelDecl, Project, ServiceDecl } from '../../generator/ir.js';
import { BlockCache } from '../../generator/emit/block-cache.js';
import { emitManifest } from '../../generator/emit/manifest.js';
import { emitServiceMap } from '../../generator/emit/service-map.js';
import { emitRoutes } from '../../generator/emit/routes.js';
import { ClientCache, emitClient } from '../../generator/emit/client.js';
import { fingerprint, InputBytes } from '../../generator/inputs.js';
import { apikey, basic, field, gateway, object, project, rest, t } from '../golden/openapi/fixtures.js';

function svc(name: string, className: string, file: string, input?: string, output?: string, line = 1): ServiceDecl {
  const loc = { file, line, column: 14 };
  return { name, className, file, loc, nameLoc: loc, ...(input && { input }), ...(output && { output }) };
}

const In = object('In', [field('x', t.string), field('out', t.ref('Out'))]);
const Out = object('Out', [field('y', t.integer)]);
const models: ModelDecl[] = [In, Out];
const a = svc('a.get', 'GetA', 'services/a.ts', 'In', 'Out');
const b = svc('b.get', 'GetB', 'services/b.ts', 'In');
const c = svc('c.get', 'GetC', 'services/c.ts');
const gate = gateway('Gateway', ['a.get', 'b.get', 'c.get'], 'gw');
const direct = rest('Get A', '/api/a', 'a.get', 'POST', 'key');
const security = [basic('gw'), apikey('key')];

/** Each step changes one thing a cached block is made from; the others keep their objects. */
function steps(): Project[] {
  const base = { models, services: [a, b, c], channels: [gate, direct], security };
  return [
    project(base),
    project(base),
    project({ ...base, services: [svc('a.get', 'GetA', 'services/a.ts', 'In', 'Out', 7), b, c] }), // a moved down its file
    project({ ...base, services: [a, svc('b.get', 'GetB', 'services/b.ts', 'In', 'Out'), c] }), // b gets an output
    project({ ...base, services: [a, b, c, svc('d.get', 'GetA', 'services/0.ts')] }), // a's alias becomes S_GetA_2
    project({ ...base, services: [a, b, svc('c.get', 'Cä', 'services/c.ts')] }), // identifier() gives both the alias S_C_
    project({ ...base, services: [a, b, svc('c.get', 'Cö', 'services/c.ts')] }),
    project({ ...base, services: [a, b, svc('c.get', 'GetC', 'services/a.ts')] }), // c moves into a's file
    project({ ...base, services: [a, b] }), // c goes: the gateway's allowlisted c.get no longer exists
    project({ ...base, models: [In] }), // Out goes: the client's types of a.get and In's field change
    project({ ...base, models: [Out] }), // In goes
    project({ ...base, channels: [gate, rest('Get A', '/api/a2', 'a.get', 'POST', 'key')] }), // a channel changes
    project({ ...base, security: [basic('gw', 'Other'), apikey('key', 'X-Other')] }), // security definitions change
    project(base),
  ];
}

test('with a cache kept across builds, index.ts and service-map.ts are what a build from scratch gives', () => {
  const manifest = new BlockCache();
  const serviceMap = new BlockCache();
  for (const [i, p] of steps().entries()) {
    const out = i === 1 ? 'out/gen' : 'generated'; // the output dir changes once (the import paths with it)
    assert.equal(emitManifest(p, out, manifest), emitManifest(p, out), `index.ts, step ${i}`);
    assert.equal(emitServiceMap(p, out, serviceMap), emitServiceMap(p, out), `service-map.ts, step ${i}`);
  }
});

test('with a cache kept across builds, routes.ts and client.ts are what a build from scratch gives', () => {
  const routes = new BlockCache();
  const client = new ClientCache();
  for (const [i, p] of steps().entries()) {
    assert.equal(emitRoutes(p, routes), emitRoutes(p), `routes.ts, step ${i}`);
    assert.equal(emitClient(p, client), emitClient(p), `client.ts, step ${i}`);
  }
  // A channel list that differs only in which security definition follows it.
  const chans: ChannelDecl[] = [gate];
  const one = project({ models, services: [a], channels: chans, security: [basic('gw')] });
  const two = project({ models, services: [a], channels: chans, security: [basic('gw'), apikey('key')] });
  for (const p of [one, two, one]) assert.equal(emitRoutes(p, routes), emitRoutes(p));
});

test('input bytes are read again once forgotten (the watch mode forgets every path a file event names)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sg-inputs-'));
  try {
    mkdirSync(join(dir, 'services'));
    let files = ['services/a.ts', 'services/b.ts'];
    const write = (file: string, text: string) => writeFileSync(join(dir, file), text);
    const hash = (cache?: InputBytes) => fingerprint(dir, ['services/**/*.ts'], [], files, cache).hash;
    const cache = new InputBytes();
    write('services/a.ts', 'aaaa');
    write('services/b.ts', 'bbbb');
    assert.equal(hash(cache), hash());
    write('services/a.ts', 'cccc');
    const stale = hash(cache);
    cache.forget(join(dir, 'services/a.ts'));
    assert.equal(hash(cache), hash(), 'a forgotten file is read again');
    assert.notEqual(stale, hash(), 'kept bytes are what was read, until forgotten');
    write('services/b.ts', 'dddd');
    cache.forgetAll();
    assert.equal(hash(cache), hash(), 'forgetAll');
    files = ['services/a.ts', 'services/c.ts'];
    write('services/c.ts', 'eeee');
    assert.equal(hash(cache), hash(), 'a new file');
    files = ['services/a.ts', 'services/b.ts'];
    assert.equal(hash(cache), hash(), 'b again: dropped when it was no longer read, so read again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { emitOpenApi } from '../../generator/emit/openapi.js';
import { publish } from '../../generator/publish/index.js';
import { CHANNELS, SERVICES, channel, project, readSample, service, tempDir } from './publish-fixture.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** nginx's config grammar, roughly: `{ }` balance, every directive ends with `;`. Returns the blocks by path. */
function blocks(conf: string): { path: string; directives: string[] }[] {
  const lines = conf.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l !== '');
  const stack: { path: string; directives: string[] }[] = [{ path: '', directives: [] }];
  const out = [stack[0]!];
  for (const line of lines) {
    if (line === '}') {
      assert.ok(stack.length > 1, 'unbalanced }');
      stack.pop();
    } else if (line.endsWith('{') && !line.includes('{ ')) {
      const b = { path: `${stack.at(-1)!.path}/${line.slice(0, -1).trim()}`, directives: [] };
      stack.at(-1)!.directives.push(line);
      stack.push(b);
      out.push(b);
    } else {
      assert.ok(line.endsWith(';') || /\{ .*; \}$/.test(line), `not a directive: ${line}`);
      stack.at(-1)!.directives.push(line);
    }
  }
  assert.equal(stack.length, 1, 'unclosed block');
  return out;
}

const options = { title: 'Customers', version: '1.0.0', backendUrl: 'https://zato.internal:17010' };

test('nginx: server block with auth_basic, x-zato-username from $remote_user, the backend include, one exact location per service', async () => {
  const { project: p, doc } = await readSample();
  const result = publish(p, doc, 'nginx', options);
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.files.map((f) => f.path), ['servicegate.conf']);
  const conf = result.files[0]!.content;
  const all = blocks(conf);
  const server = all.find((b) => b.path === '/server')!;
  for (const d of [
    'listen 127.0.0.1:8080;',
    'auth_basic "servicegate";',
    'auth_basic_user_file /etc/nginx/servicegate.htpasswd;',
    'proxy_set_header x-zato-username $remote_user;',
    'include /etc/nginx/servicegate-backend-auth.conf;',
    'underscores_in_headers off;',
    'ignore_invalid_headers on;',
  ]) {
    assert.ok(server.directives.includes(d), d);
  }
  const locations = all.filter((b) => b.path.startsWith('/server/location'));
  assert.deepEqual(locations.map((l) => l.path), [
    '/server/location = /api/customer.get',
    '/server/location = /api/customer.update',
    '/server/location = /api/orders.create',
    '/server/location = /api/orders.list',
    '/server/location /',
  ]);
  assert.deepEqual(locations[0]!.directives, ['limit_except POST { deny all; }', 'proxy_pass https://zato.internal:17010/zato/gateway/customer.get;']);
  assert.deepEqual(locations[4]!.directives, ['return 404;']);
  // A location with any proxy_set_header of its own would inherit none of the server's (nginx's rule).
  assert.ok(locations.every((l) => !l.directives.some((d) => d.startsWith('proxy_set_header'))));
  assert.ok(conf.includes('#   proxy_set_header Authorization "Basic <base64 of user:password>";'));
});

test('nginx: listen, htpasswd and include paths are options', () => {
  const p = project();
  const conf = publish(p, emitOpenApi(p, { title: 't', version: '1' }), 'nginx', {
    ...options, listen: '0.0.0.0:443', htpasswdPath: '/srv/users.htpasswd', backendAuthInclude: '/srv/zato-auth.conf', pathPrefix: '',
  }).files[0]!.content;
  const server = blocks(conf).find((b) => b.path === '/server')!;
  assert.ok(server.directives.includes('listen 0.0.0.0:443;'));
  assert.ok(server.directives.includes('auth_basic_user_file /srv/users.htpasswd;'));
  assert.ok(server.directives.includes('include /srv/zato-auth.conf;'));
  assert.ok(conf.includes('location = /customer.get {'));
});

const HOSTILE = ['orders list', 'a"b', "a'b", 'a;b', 'a{b}', 'a$b', 'a\nb', 'a\u0000b', 'caf\u00e9'];

test('nginx: a service name that cannot stand in a location is an error naming it, and is left out', () => {
  const p = project({
    services: [...SERVICES, ...HOSTILE.map((n) => service(n, 'GetCustomerRequest', 'GetCustomerResponse'))],
    channels: [
      ...CHANNELS.filter((c) => c.name !== 'Gateway'),
      channel({ name: 'Gateway', kind: 'gateway', urlPath: '/zato/gateway/{service}', service: 'helpers.service-gateway', gatewayServiceList: ['customer.get', ...HOSTILE].sort() }),
    ],
  });
  const result = publish(p, emitOpenApi(p, { title: 't', version: '1' }), 'nginx', options);
  const messages = result.diagnostics.filter((d) => d.code === 'SG503').map((d) => d.message);
  assert.equal(messages.length, HOSTILE.length);
  for (const name of HOSTILE) assert.ok(messages.some((m) => m.includes(JSON.stringify(name))), name);
  const conf = result.files[0]!.content;
  assert.deepEqual(blocks(conf).filter((b) => b.path.startsWith('/server/location =')).map((b) => b.path), ['/server/location = /api/customer.get']);
});

test('nginx: option values that would break the config are errors (and never written)', () => {
  const p = project();
  const result = publish(p, emitOpenApi(p, { title: 't', version: '1' }), 'nginx', {
    ...options, listen: '127.0.0.1:80; include /etc/passwd', htpasswdPath: '/tmp/a b', backendAuthInclude: '/x/$y',
  });
  assert.deepEqual(result.diagnostics.map((d) => [d.code, d.loc.file]), [
    ['SG507', '--backend-auth-include'],
    ['SG507', '--htpasswd'],
    ['SG507', '--listen'],
  ]);
  const conf = result.files[0]!.content;
  assert.ok(!conf.includes('/etc/passwd') && !conf.includes('a b') && !conf.includes('$y'));
});

const nginxBin = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
})();

test('nginx -t accepts the server block', { skip: nginxBin === '' ? 'nginx is not installed here: the syntax check runs where it is' : false }, async () => {
  const { project: p, doc } = await readSample();
  const dir = await tempDir('sg-publish-nginx-');
  dirs.push(dir);
  const conf = publish(p, doc, 'nginx', {
    ...options, backendUrl: 'http://127.0.0.1:17010', listen: '127.0.0.1:18080', htpasswdPath: join(dir, 'users'), backendAuthInclude: join(dir, 'auth.conf'),
  }).files[0]!.content;
  await writeFile(join(dir, 'servicegate.conf'), conf);
  await writeFile(join(dir, 'users'), 'gateway:$apr1$x$y\n');
  await writeFile(join(dir, 'auth.conf'), 'proxy_set_header Authorization "Basic Z2F0ZXdheTpw";\n');
  await writeFile(join(dir, 'nginx.conf'), [
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')};`,
    'events {}',
    `http { access_log off; include ${join(dir, 'servicegate.conf')}; }`,
    '',
  ].join('\n'));
  await promisify(execFile)(nginxBin, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')]);
});

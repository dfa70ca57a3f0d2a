/** `gen publish` and `gen client`: build in memory (nothing written to generated/), then write the artefacts. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { count, countLine, printDiagnostics, printJson, say } from './cli-output.js';
import { runBuild, type CommonFlags } from './cli-build.js';
import { hasErrors, sortDiagnostics } from './diagnostics.js';
import { projectTitle } from './options.js';

export interface PublishFlags extends CommonFlags {
  target: string;
  out: string;
  channel?: string;
  backendUrl: string;
  pathPrefix: string;
  listen: string;
  htpasswd: string;
  backendAuthInclude: string;
  kongAuth: 'basic-auth' | 'key-auth';
  jwtClaim: string;
}

/** Writes a file through a temp file and a rename, so a reader never sees half of it. */
function writeAtomic(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

export async function publishCommand(dir: string, flags: PublishFlags): Promise<number> {
  const result = await runBuild(dir, { ...flags, out: undefined });
  if (result.files.length === 0) {
    printDiagnostics(result.options.dir, result.diagnostics, flags);
    if (flags.json) printJson({ ok: false, diagnostics: result.diagnostics });
    else process.stderr.write(`gen publish: ${countLine(result.diagnostics)}; nothing written\n`);
    return 1;
  }
  const { publish } = await import('./publish/index.js');
  const published = publish(result.project!, result.openapi!, flags.target as never, {
    channel: flags.channel,
    backendUrl: flags.backendUrl,
    pathPrefix: flags.pathPrefix,
    listen: flags.listen,
    htpasswdPath: flags.htpasswd,
    backendAuthInclude: flags.backendAuthInclude,
    kongAuth: flags.kongAuth,
    jwtClaim: flags.jwtClaim,
    title: projectTitle(result.options.dir),
    version: '1.0.0',
  });
  const diagnostics = sortDiagnostics([...result.diagnostics, ...published.diagnostics]);
  printDiagnostics(result.options.dir, diagnostics, flags);
  if (hasErrors(diagnostics)) {
    if (flags.json) printJson({ ok: false, diagnostics });
    else process.stderr.write(`gen publish: ${countLine(diagnostics)}; nothing written\n`);
    return 1;
  }
  const outDir = resolve(flags.out);
  for (const f of published.files) writeAtomic(join(outDir, f.path), f.content);
  if (flags.json) printJson({ ok: true, diagnostics, files: published.files.map((f) => join(flags.out, f.path)) });
  else {
    say(flags, `gen publish --target ${flags.target}: ${count(published.files.length, 'file')} in ${flags.out}`);
    for (const f of published.files) say(flags, `  ${join(flags.out, f.path)}`);
  }
  return 0;
}

export async function clientCommand(dir: string, flags: CommonFlags & { out: string }): Promise<number> {
  const result = await runBuild(dir, { ...flags, out: undefined });
  printDiagnostics(result.options.dir, result.diagnostics, flags);
  if (result.files.length === 0) {
    if (flags.json) printJson({ ok: false, diagnostics: result.diagnostics });
    else process.stderr.write(`gen client: ${countLine(result.diagnostics)}; nothing written\n`);
    return 1;
  }
  const client = result.files.find((f) => f.path === 'client.ts')!;
  writeAtomic(resolve(flags.out), client.content);
  if (flags.json) printJson({ ok: true, diagnostics: result.diagnostics, file: flags.out });
  else say(flags, `gen client: wrote ${flags.out}`);
  return 0;
}

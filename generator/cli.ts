/**
 * The `gen` command line. Exit codes: 0 success, 1 error diagnostics (or a stale/failed check), 2 usage.
 * Heavy modules (ts-morph, the emitters) are imported lazily so that `gen serve` on a current build stays fast.
 */
import { Command, CommanderError, Option } from 'commander';
import type { CommonFlags } from './cli-build.js';
import { generatorVersion } from './inputs.js';
import type { PublishFlags } from './cli-publish.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

function common(cmd: Command, withOut: boolean): Command {
  cmd
    .option('--services <glob>', 'service files, relative to dir (repeatable; default services/**/*.ts)', collect)
    .option('--config <glob>', 'config files, relative to dir (repeatable; default config/**/*.yaml, config/**/*.yml)', collect)
    .option('--quiet', 'print errors only')
    .option('--json', 'machine-readable output on stdout');
  if (withOut) cmd.option('--out <dir>', 'output dir, relative to dir (default generated)');
  return cmd;
}

export function program(): { root: Command; exitCode(): number } {
  const root = new Command('gen')
    .description('servicegate: typed services behind a Zato-style REST gateway')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run gen --help for usage)');
  root.version(generatorVersion().replace(/^servicegate /, ''), '-v, --version');
  let code = 0;
  common(root.command('build').argument('[dir]', 'project dir', '.').description('read, check and write generated/'), true)
    .option('--watch', 'keep running: rebuild when a service or config file changes')
    .action(async (dir: string, flags: CommonFlags) => { code = await (await import('./cli-build.js')).buildCommand(dir, flags); });
  common(root.command('check').argument('[dir]', 'project dir', '.').description('exit 1 when generated/ is missing or stale'), true)
    .action(async (dir: string, flags: CommonFlags) => { code = await (await import('./cli-build.js')).checkCommand(dir, flags); });
  common(root.command('serve').argument('[dir]', 'project dir', '.').description('build when stale, then serve'), true)
    .addOption(new Option('--port <n>', 'port').default('17010'))
    .addOption(new Option('--host <addr>', 'address to bind').default('127.0.0.1'))
    .addOption(new Option('--workers <n>', 'worker processes (node:cluster)').default('1'))
    .option('--demo', 'print the example curl lines with the credentials from the environment')
    .action(async (dir: string, flags: CommonFlags & { port: string; host: string; workers: string; demo?: boolean }) => {
      const { serveCommand } = await import('./cli-serve.js');
      code = await serveCommand(dir, flags);
    });
  common(root.command('publish').argument('[dir]', 'project dir', '.').description('write gateway-ready artefacts'), false)
    .addOption(new Option('--target <target>', 'gateway').choices(['openapi', 'kong', 'aws', 'azure', 'nginx']).makeOptionMandatory())
    .requiredOption('--out <dir>', 'where to write')
    .option('--channel <name>', 'gateway channel (default: the only one)')
    .option('--backend-url <url>', 'where the gateway reaches this server', 'http://127.0.0.1:17010')
    .option('--path-prefix <path>', "client-facing path prefix of every service ('' for none)", '/api')
    .option('--listen <addr>', 'nginx: listen address', '127.0.0.1:8080')
    .option('--htpasswd <file>', 'nginx: htpasswd file of the callers', '/etc/nginx/servicegate.htpasswd')
    .option('--backend-auth-include <file>', "nginx: the operator's file with the backend credentials", '/etc/nginx/servicegate-backend-auth.conf')
    .addOption(new Option('--kong-auth <plugin>', 'kong: how callers authenticate').choices(['basic-auth', 'key-auth']).default('basic-auth'))
    .option('--jwt-claim <claim>', 'azure: the JWT claim that becomes x-zato-username', 'sub')
    .action(async (dir: string, flags: PublishFlags) => {
      const { publishCommand } = await import('./cli-publish.js');
      code = await publishCommand(dir, flags);
    });
  common(root.command('client').argument('[dir]', 'project dir', '.').description('write the typed client'), false)
    .requiredOption('--out <file>', 'the client file to write')
    .action(async (dir: string, flags: CommonFlags & { out: string }) => {
      const { clientCommand } = await import('./cli-publish.js');
      code = await clientCommand(dir, flags);
    });
  return { root, exitCode: () => code };
}

/** Runs `gen` with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { root, exitCode } = program();
  try {
    await root.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    const { fileProblem } = await import('./cli-output.js');
    process.stderr.write(`gen: ${fileProblem(err) ?? (err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
  if (argv.length === 0) {
    root.outputHelp();
    return 2;
  }
  return exitCode();
}

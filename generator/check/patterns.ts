/**
 * SG116 / SG216 (warnings): a `--services` or `--config` pattern given on the command line that matches no file.
 * The default patterns may match nothing (a project without config has no channels), but a pattern someone typed
 * that matches nothing is most likely a typo, and the build would otherwise go on without those inputs, silently:
 * `gen build --config cfg/*.yml` on a project whose files end in `.yaml` built a server with no channels.
 * Reported at the pattern itself (it stands where a path would: relative to the project dir).
 */
import { warning, type Diagnostic } from '../diagnostics.js';
import type { ResolvedOptions } from '../options.js';
import { DEFAULT_CONFIG_GLOBS, DEFAULT_SERVICE_GLOBS, listFiles } from '../read/files.js';

export function checkPatterns(o: ResolvedOptions): Diagnostic[] {
  return [
    ...unmatched(o.dir, o.services, DEFAULT_SERVICE_GLOBS, 'SG116', '--services', 'service files'),
    ...unmatched(o.dir, o.config, DEFAULT_CONFIG_GLOBS, 'SG216', '--config', 'config files'),
  ];
}

function unmatched(dir: string, patterns: readonly string[], defaults: readonly string[], code: string, flag: string, what: string): Diagnostic[] {
  // resolveOptions hands on the very default array when the flag was not given.
  if (patterns === defaults) return [];
  const out: Diagnostic[] = [];
  for (const pattern of patterns) {
    // A negated pattern only takes files away; it matches nothing by itself.
    if (pattern.startsWith('!') || listFiles(dir, [pattern]).length > 0) continue;
    const message = `${flag} pattern '${pattern}' matches no file in ${dir}: fix the pattern (relative to the project dir), or leave ${flag} out to read the ${what} at ${defaults.join(' and ')}`;
    out.push(warning(code, message, { file: pattern, line: 1, column: 1 }));
  }
  return out;
}

/**
 * The CommonJS side of generated-hooks.ts: in a project whose package.json says "type": "commonjs" (or nothing),
 * generated/index.ts `require()`s validators.ts through tsx's require hooks, which the module hook does not see. This
 * wraps tsx's `.ts` handler (Node's `Module._extensions`, where tsx installs it) so that a generated/validators.ts it
 * registered is compiled to CommonJS here, without a source map, and kept between starts (generated-cache.ts); every
 * other file, and validators.ts where that fails, goes to tsx's handler as before.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { compiledGenerated } from './generated-cache.js';

type Handler = (module: { _compile(code: string, filename: string): unknown }, filename: string) => void;

const files = new Set<string>();
let installed = false;

/** Compiles `<generatedDir>/validators.ts` here when it is required; call after tsx's require hooks are registered. */
export function compileValidatorsOnRequire(generatedDir: string): void {
  files.add(join(generatedDir, 'validators.ts'));
  if (installed) return;
  const extensions = (Module as unknown as { _extensions: Record<string, Handler | undefined> })._extensions;
  const prior = extensions['.ts'];
  if (prior === undefined) return; // no TypeScript loader: nothing to speed up
  installed = true;
  extensions['.ts'] = function (this: unknown, module, filename) {
    if (files.has(filename)) {
      const js = compiledGenerated(filename, readFileSync(filename, 'utf8'), 'cjs');
      if (js !== null) {
        module._compile(js, filename);
        return;
      }
    }
    prior.call(this, module, filename);
  };
}

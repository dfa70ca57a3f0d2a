/**
 * Target `openapi`: the canonical 3.1 document as `gen build` wrote it, and its 3.0.3 down-conversion for tools
 * that read only 3.0. Both pass `redocly lint` (see test/unit/publish-openapi.test.ts).
 */
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import type { PublishResult } from './context.js';
import { jsonFile } from './client-facing.js';
import { downconvert } from './downconvert.js';

/** `openapi.json` (3.1) and `openapi-3.0.json` (3.0.3). */
export function publishOpenApi(doc: OpenAPIObject): PublishResult {
  return {
    files: [
      { path: 'openapi-3.0.json', content: jsonFile(downconvert(doc)) },
      { path: 'openapi.json', content: jsonFile(doc) },
    ],
    diagnostics: [],
  };
}

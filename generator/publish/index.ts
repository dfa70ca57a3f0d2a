/**
 * `gen publish`: gateway-ready artefacts per target (CONTRACT §6). Pure functions: the CLI writes the files.
 *
 * Diagnostic codes:
 * - SG501 error   no gateway channel to publish, or --channel names no gateway channel
 * - SG502 error   the channel (or one of its services) is not in the OpenAPI document (inactive / not included)
 * - SG503 error   a service name the target cannot carry in a path or entity name (only A-Z a-z 0-9 . _ ~ -)
 * - SG504 warning aws: a union model flattened into one object (API Gateway has no oneOf/discriminator)
 * - SG505 warning aws: a Record field published as a free-form object (no additionalProperties)
 * - SG506 error   --backend-url is not a plain http(s) URL
 * - SG507 error   an option or header name that cannot be written into the target's configuration safely
 * - SG508 warning aws/azure: the backend URL is a loopback address the cloud gateway cannot reach
 * - SG509 error   azure: the gateway channel's url_path does not end with /{service}
 * - SG510 warning the gateway channel has no security: the backend is reachable without the gateway
 *
 * Client-facing paths are `<pathPrefix>/<service>` (default prefix '/api': `/api/customer.get`) for kong, nginx
 * and aws; azure puts the prefix in the API's `path` and the service name in the operation.
 */
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { compareCodePoints, type Project } from '../ir.js';
import { sortDiagnostics } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { resolveChannel, resolveOptions } from './context.js';
import type { PublishOptions, PublishResult, PublishTarget, TargetContext } from './context.js';
import { publishOpenApi } from './openapi.js';
import { publishAws } from './aws.js';
import { publishAzure } from './azure.js';
import { publishKong } from './kong.js';
import { publishNginx } from './nginx.js';

export type { PublishOptions, PublishResult, PublishTarget } from './context.js';
export const PUBLISH_TARGETS: readonly PublishTarget[] = ['aws', 'azure', 'kong', 'nginx', 'openapi'];

/**
 * The files of `target` for `project`, whose OpenAPI 3.1 document (emitOpenApi) is `doc`. Files are sorted by
 * path; nothing in them is a secret (only environment-variable, named-value and placeholder names).
 */
export function publish(project: Project, doc: OpenAPIObject, target: PublishTarget, options: PublishOptions): PublishResult {
  if (target === 'openapi') return publishOpenApi(doc);
  const diagnostics: Diagnostic[] = [];
  const resolved = resolveOptions(options, diagnostics);
  const channel = resolveChannel(project, options.channel, diagnostics);
  if (channel === undefined) return { files: [], diagnostics: sortDiagnostics(diagnostics) };
  const ctx: TargetContext = {
    project,
    doc,
    channel,
    backendSecurity: project.security.find((s) => s.name === channel.security),
    options: resolved,
    diagnostics,
  };
  const files = { aws: publishAws, azure: publishAzure, kong: publishKong, nginx: publishNginx }[target](ctx);
  files.sort((a, b) => compareCodePoints(a.path, b.path));
  return { files, diagnostics: sortDiagnostics(diagnostics) };
}

/**
 * Target `aws`: an OpenAPI 3.0.3 document for an Amazon API Gateway REST API (v1), imported with
 * `aws apigateway import-rest-api` (or as a CloudFormation/SAM `Body` through Fn::Sub for the placeholders).
 *
 * - Callers are authenticated by a Lambda REQUEST authorizer (the operator's): it returns the caller as
 *   `principalId` and the backend's credential in its context (`backendAuthorization` for basic_auth,
 *   `backendApiKey` for apikey), read from the operator's secret store. The document holds only placeholders:
 *   `${AWS::Region}` and `${AuthorizerFunctionArn}`.
 * - Each operation is an `http_proxy` integration POSTing to `<backend-url><gateway path>` whose
 *   requestParameters overwrite `x-zato-username` and the credential header from the authorizer context, so a
 *   client-sent value never reaches servicegate.
 * - API Gateway's model support has no oneOf/anyOf/discriminator/additionalProperties: unions are flattened to
 *   one object (SG504), records become free-form objects (SG505), nullable refs become the ref.
 */
import type { SecuritySchemeObject } from 'openapi3-ts/oas31';
import type { ChannelDecl, ModelDecl } from '../ir.js';
import { warning } from '../diagnostics.js';
import { componentName } from '../emit/json-schema.js';
import { checkReachable } from './context.js';
import type { TargetContext } from './context.js';
import { backendHeader, clientFacingDoc, gatewayOperations, jsonFile, usedSchemas } from './client-facing.js';
import { downconvert } from './downconvert.js';

type Json = Record<string, unknown>;

export const AWS_AUTHORIZER = 'gateway-authorizer';
/** API Gateway REST APIs cut integrations off at 29 s by default. */
const MAX_TIMEOUT_MS = 29_000;

/** `openapi-aws.json`. */
export function publishAws(ctx: TargetContext): { path: string; content: string }[] {
  const ops = gatewayOperations(ctx, 'AWS API Gateway');
  checkReachable(ctx, 'AWS API Gateway');
  const header = backendHeader(ctx);
  const doc31 = clientFacingDoc(ctx, ops, { scheme: { name: AWS_AUTHORIZER, object: authorizerScheme() }, pathOf: (op) => op.clientPath, servers: true });
  const doc = downconvert(doc31) as unknown as Json;

  const schemas = ((doc.components as Json).schemas ?? {}) as Json;
  const models = new Map(ctx.project.models.map((m) => [componentName(m.name), m] as const));
  for (const [name, schema] of Object.entries(schemas)) {
    const model = models.get(name);
    const flat = flatten(schema as Json, schemas, (what) => report(ctx, model, name, what));
    Object.defineProperty(schemas, name, { value: flat, enumerable: true, writable: true, configurable: true });
  }
  const paths = doc.paths as Record<string, { post: Json }>;
  for (const op of ops) {
    const operation = paths[op.clientPath]!.post;
    flattenOperation(operation, schemas);
    operation['x-amazon-apigateway-integration'] = integration(ctx.channel, ctx.options.backendUrl + op.backendPath, header);
  }
  // Flattened unions no longer refer to their members: drop what nothing uses any more.
  (doc.components as Json).schemas = usedSchemas(schemas, doc.paths);
  return [{ path: 'openapi-aws.json', content: jsonFile(doc) }];
}

function authorizerScheme(): SecuritySchemeObject {
  return {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    description: 'Checked by the Lambda authorizer ${AuthorizerFunctionArn}, which returns the caller as principalId and the backend credential in its context.',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': {
      type: 'request',
      identitySource: 'method.request.header.Authorization',
      authorizerUri: 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthorizerFunctionArn}/invocations',
      authorizerResultTtlInSeconds: 300,
    },
  };
}

function integration(channel: ChannelDecl, uri: string, header: string | null): Json {
  const requestParameters: Record<string, string> = {
    'integration.request.header.x-zato-username': 'context.authorizer.principalId',
  };
  if (header === 'Authorization') requestParameters['integration.request.header.Authorization'] = 'context.authorizer.backendAuthorization';
  else if (header !== null) requestParameters[`integration.request.header.${header}`] = 'context.authorizer.backendApiKey';
  return {
    type: 'http_proxy',
    httpMethod: 'POST',
    uri,
    passthroughBehavior: 'when_no_match',
    timeoutInMillis: Math.max(50, Math.min(channel.timeout * 1000, MAX_TIMEOUT_MS)),
    requestParameters,
  };
}

function report(ctx: TargetContext, model: ModelDecl | undefined, name: string, what: 'union' | 'record'): void {
  const loc = model?.loc ?? ctx.channel.loc;
  const label = JSON.stringify(model?.name ?? name);
  ctx.diagnostics.push(
    what === 'union'
      ? warning('SG504', `AWS API Gateway models have no oneOf/discriminator: model ${label} is published as one object with the properties of all its members (the service still validates the real union).`, loc)
      : warning('SG505', `AWS API Gateway models have no additionalProperties: the Record fields of model ${label} are published as free-form objects (the service still validates their values).`, loc),
  );
}

function flattenOperation(operation: Json, schemas: Json): void {
  const noop = () => undefined;
  const visit = (holder: unknown) => {
    const content = (holder as Json | undefined)?.content as Record<string, Json> | undefined;
    for (const media of Object.values(content ?? {})) if (media.schema) media.schema = flatten(media.schema as Json, schemas, noop);
  };
  visit(operation.requestBody);
  for (const response of Object.values((operation.responses ?? {}) as Json)) visit(response);
}

/**
 * `schema` without oneOf/anyOf/discriminator/additionalProperties. Each kind is reported once per call.
 * An alternative list of object schemas (refs resolved in `schemas`) becomes one object: every member's
 * properties (first definition wins, the discriminator gets all values as its enum) and only the properties
 * every member requires. Anything else becomes a free-form schema.
 */
function flatten(schema: Json, schemas: Json, report: (what: 'union' | 'record') => void): Json {
  const reported = new Set<string>();
  const once = (what: 'union' | 'record') => {
    if (!reported.has(what)) report(what);
    reported.add(what);
  };
  const walk = (s: Json): Json => {
    let out: Json = { ...s };
    if (Array.isArray(out.allOf) && out.allOf.length === 1 && out.nullable === true && Object.keys(out).every((k) => ['allOf', 'nullable', 'type'].includes(k))) {
      return walk(out.allOf[0] as Json); // a nullable ref: API Gateway cannot say "or null" about a ref anyway
    }
    if ('additionalProperties' in out) {
      if (out.additionalProperties !== false) once('record');
      delete out.additionalProperties;
    }
    for (const key of ['oneOf', 'anyOf'] as const) {
      if (!Array.isArray(out[key])) continue;
      once('union');
      out = merge(out, key, schemas);
    }
    delete out.discriminator;
    if (out.properties) {
      const props: Json = {};
      for (const [k, v] of Object.entries(out.properties as Json)) {
        Object.defineProperty(props, k, { value: walk(v as Json), enumerable: true, writable: true, configurable: true });
      }
      out.properties = props;
    }
    if (out.items) out.items = walk(out.items as Json);
    if (Array.isArray(out.allOf)) out.allOf = (out.allOf as Json[]).map(walk);
    if (out.not) out.not = walk(out.not as Json);
    return out;
  };
  return walk(schema);
}

function merge(s: Json, key: 'oneOf' | 'anyOf', schemas: Json): Json {
  const resolve = (m: Json): Json => {
    const ref = typeof m.$ref === 'string' ? m.$ref.replace('#/components/schemas/', '') : undefined;
    return ref !== undefined && Object.hasOwn(schemas, ref) ? (schemas[ref] as Json) : m;
  };
  const members = (s[key] as Json[]).map(resolve);
  const { [key]: _dropped, discriminator, ...rest } = s;
  if (!members.every((m) => m.type === 'object' || m.properties !== undefined)) {
    return { ...rest, description: describe(rest, 'Any of several shapes (not expressible in API Gateway models).') };
  }
  const properties: Json = {};
  for (const m of members) {
    for (const [name, prop] of Object.entries((m.properties ?? {}) as Json)) {
      if (!Object.hasOwn(properties, name)) Object.defineProperty(properties, name, { value: prop, enumerable: true, writable: true, configurable: true });
    }
  }
  const propertyName = (discriminator as Json | undefined)?.propertyName;
  if (typeof propertyName === 'string' && Object.hasOwn(properties, propertyName)) {
    const values = members.flatMap((m) => (((m.properties as Json)?.[propertyName] as Json | undefined)?.enum as unknown[]) ?? []);
    const unique = [...new Set(values)];
    properties[propertyName] = { type: unique.every((v) => typeof v === 'string') ? 'string' : 'number', enum: unique };
  }
  const requiredLists = members.map((m) => (Array.isArray(m.required) ? (m.required as string[]) : []));
  const required = requiredLists[0]?.filter((r) => requiredLists.every((list) => list.includes(r))) ?? [];
  const out: Json = { ...rest, type: 'object', properties };
  if (required.length > 0) out.required = required;
  out.description = describe(rest, `One of ${members.length} shapes${typeof propertyName === 'string' ? `, told apart by ${propertyName}` : ''}.`);
  return out;
}

function describe(s: Json, note: string): string {
  return typeof s.description === 'string' && s.description !== '' ? `${s.description} ${note}` : note;
}

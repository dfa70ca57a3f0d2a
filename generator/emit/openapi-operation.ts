/**
 * One OpenAPI operation: parameters, request body, responses and security for a planned channel operation.
 */
import type {
  HeadersObject,
  OperationObject,
  ParameterObject,
  RequestBodyObject,
  ResponseObject,
  ResponsesObject,
  SchemaObject,
} from 'openapi3-ts/oas31';
import { BODYLESS_METHODS, isParameterType } from '../ir.js';
import type { Field, ModelDecl, ObjectModel, TypeRef } from '../ir.js';
import { componentName, fieldSchema, isRequired, modelSchema } from './json-schema.js';
import type { PlannedOperation } from './openapi-plan.js';

const JSON_MEDIA = 'application/json';

export interface OperationContext {
  readonly models: ReadonlyMap<string, ModelDecl>;
  /** `$ref` of the §5.6 error body schema. */
  readonly errorRef: string;
  /** Security definition names that exist (an unknown one is a check error, and gets no requirement). */
  readonly securityNames: ReadonlySet<string>;
  /** Error responses made so far in this document, by description: operations share them (see errorResponse). */
  readonly errors?: Map<string, ResponseObject>;
}

/**
 * The error response with `description` (a §5.6 body). Identical in every operation that has it, so one document
 * uses one object for each description: a 5,000-service document otherwise builds 60,000 of them, and the YAML
 * writer writes the text of an object in SHARED once. Objects of the document are never changed after emitting
 * (publish targets that rewrite parts of it copy them first). Not with a watch mode's cache, which keeps operations
 * from one build to the next.
 */
function errorResponse(ctx: OperationContext, description: string): ResponseObject {
  const make = (): ResponseObject => ({ description, content: { [JSON_MEDIA]: { schema: { $ref: ctx.errorRef } } } });
  if (!ctx.errors) return make();
  let r = ctx.errors.get(description);
  if (r === undefined) {
    r = make();
    ctx.errors.set(description, r);
    SHARED.add(r);
  }
  return r;
}

/** Objects that a document may hold more than once (see errorResponse). */
export const SHARED = new WeakSet<object>();

/**
 * Everything emitOperation reads for `op` (keep the two in step), to compare item by item with `===`: the channel,
 * service and input model objects (IR objects are immutable), the kinds of the models the input's fields name
 * (query parameters), the operation's path (which gives its parameters), method and id, the error schema and
 * whether the security definition exists. Equal items give equal operations.
 */
export function operationDeps(op: PlannedOperation, ctx: OperationContext): unknown[] {
  const { channel, service } = op;
  const input = service.input !== undefined ? ctx.models.get(service.input) : undefined;
  const secured = channel.security !== null && ctx.securityNames.has(channel.security);
  const deps: unknown[] = [channel, service, input, op.path, op.method, op.operationId, ctx.errorRef, secured];
  if (input?.kind === 'object') {
    for (const f of input.fields) deps.push(f.type.kind === 'ref' ? ctx.models.get(f.type.name)?.kind : null);
  }
  return deps;
}

/** The Operation Object for `op`. Key order is fixed, so the document serialises the same every time. */
export function emitOperation(op: PlannedOperation, ctx: OperationContext): OperationObject {
  const { channel, service } = op;
  const input = service.input !== undefined ? ctx.models.get(service.input) : undefined;
  const inputObject = input?.kind === 'object' ? input : undefined;
  const hasBody = !BODYLESS_METHODS.has(op.method);

  const operation: OperationObject = { tags: [channel.name], summary: service.name };
  const description = [service.description, deprecationNote(op)].filter((x) => x).join('\n\n');
  if (description) operation.description = description;
  operation.operationId = op.operationId;
  const parameters = emitParameters(op, inputObject, hasBody, ctx.models);
  if (parameters.length > 0) operation.parameters = parameters;
  if (hasBody && service.input !== undefined) operation.requestBody = emitRequestBody(op, service.input, input);
  operation.responses = emitResponses(op, ctx, hasBody);
  if (channel.deprecated) operation.deprecated = true;
  const secured = channel.security !== null && ctx.securityNames.has(channel.security);
  operation.security = secured ? [{ [componentName(channel.security!)]: [] }] : [];
  return operation;
}

/** Path parameters, then (body-less methods only) the input model's other top-level primitive fields as query. */
function emitParameters(
  op: PlannedOperation,
  input: ObjectModel | undefined,
  hasBody: boolean,
  models: ReadonlyMap<string, ModelDecl>,
): ParameterObject[] {
  const fields = new Map((input?.fields ?? []).map((f) => [f.name, f]));
  const params: ParameterObject[] = op.pathParams.map((name) => {
    const field = fields.get(name);
    // A path parameter the model does not declare is a check error; describe it as the string it arrives as.
    return field ? parameter(field, 'path', true) : { name, in: 'path', required: true, schema: { type: 'string' } };
  });
  if (!hasBody && input) {
    for (const field of input.fields) {
      if (op.pathParams.includes(field.name) || !isParameterType(field.type, models)) continue;
      params.push(parameter(field, 'query', isRequired(field)));
    }
  }
  return params;
}

function parameter(field: Field, where: 'path' | 'query', required: boolean): ParameterObject {
  // The description and deprecation belong to the parameter; the schema keeps types, constraints and examples.
  const { description, deprecated, ...schema } = fieldSchema(field);
  const p: ParameterObject = { name: field.name, in: where };
  if (description !== undefined) p.description = description;
  p.required = required;
  if (deprecated) p.deprecated = true;
  p.schema = schema;
  return p;
}

function emitRequestBody(op: PlannedOperation, inputName: string, input: ModelDecl | undefined): RequestBodyObject {
  let schema: SchemaObject = { $ref: `#/components/schemas/${componentName(inputName)}` };
  let required = input?.kind === 'object' && input.fields.some(isRequired);
  if (input?.kind === 'object' && op.pathParams.some((p) => input.fields.some((f) => f.name === p))) {
    // Path parameters win over the body (§5.6), so the body need not repeat them: describe it as the input model
    // without those fields rather than $ref a schema that would demand them.
    schema = modelSchema({ ...input, fields: input.fields.filter((f) => !op.pathParams.includes(f.name)) });
    required = input.fields.some((f) => isRequired(f) && !op.pathParams.includes(f.name));
  }
  const body: RequestBodyObject = { content: { [JSON_MEDIA]: { schema } } };
  if (required) body.required = true;
  return body;
}

function emitResponses(op: PlannedOperation, ctx: OperationContext, hasBody: boolean): ResponsesObject {
  const { channel, service } = op;
  const success: ResponseObject = { description: service.output !== undefined ? 'OK' : 'No content' };
  const headers = deprecationHeaders(op);
  if (headers) success.headers = headers;
  if (service.output !== undefined) {
    success.content = { [JSON_MEDIA]: { schema: { $ref: `#/components/schemas/${componentName(service.output)}` } } };
  }
  const error = (description: string): ResponseObject => errorResponse(ctx, description);
  // Integer-like keys enumerate in ascending order whatever the insertion order, so this stays sorted.
  const responses: ResponsesObject = { [service.output !== undefined ? '200' : '204']: success };
  responses['400'] = error('Bad request: malformed JSON, a wrong type or a failed constraint (see errors).');
  if (channel.security !== null) responses['401'] = error('Unauthorized: missing or wrong credentials.');
  responses['404'] = error(
    channel.kind === 'gateway' ? 'Not found: no such service on this channel.' : 'Not found.',
  );
  if (hasBody) {
    responses['413'] = error(`Payload too large: the body is over ${channel.maxBodySize} bytes.`);
    responses['415'] = error('Unsupported media type: send Content-Type: application/json.');
  }
  responses['500'] = error('Internal error: details are in the server log under the response cid.');
  responses['504'] = error(`Timeout: the service ran longer than the channel's ${channel.timeout} seconds.`);
  return responses;
}

function deprecationNote(op: PlannedOperation): string {
  const { channel } = op;
  if (!channel.deprecated) return '';
  let note = `Deprecated: channel ${channel.name} is deprecated`;
  if (channel.deprecation?.sunset !== undefined) note += ` and may stop working after ${channel.deprecation.sunset}`;
  note += '.';
  if (channel.deprecation?.successor !== undefined) note += ` Use ${channel.deprecation.successor} instead.`;
  return note;
}

/** `Deprecation`, `Sunset` and `Link` headers of a deprecated channel's success response (§3). */
function deprecationHeaders(op: PlannedOperation): HeadersObject | undefined {
  const { channel } = op;
  if (!channel.deprecated) return undefined;
  const headers: HeadersObject = {
    Deprecation: { description: 'Present because this channel is deprecated.', schema: { type: 'string' } },
  };
  if (channel.deprecation?.sunset !== undefined) {
    headers.Sunset = {
      description: `When this channel may stop working: ${channel.deprecation.sunset}.`,
      schema: { type: 'string' },
    };
  }
  if (channel.deprecation?.successor !== undefined) {
    headers.Link = {
      description: `Points at the successor: ${channel.deprecation.successor}.`,
      schema: { type: 'string' },
    };
  }
  return headers;
}

/**
 * The checking half of the compiled validators: for each model, `is_<n>` (a boolean, stops at the first problem,
 * builds no strings) and `report_<n>` (pushes every problem with its JSON Pointer), both straight-line code.
 *
 * Semantics follow ajv 8 (draft 2020-12, ajv-formats full mode) on the schemas of emit/json-schema.ts: constraint
 * keywords sit next to the field's type and each applies only to values of its own JSON type, so `null` passes
 * `minLength` and an explicit `@format` replaces Date's `date-time`.
 */
import { isParameterType, type Constraints, type Field, type ObjectModel, type StringFormat, type TypeRef } from '../ir.js';
import { lit } from '../../templates/ts.js';
import {
  type Compiled, type EmitContext, PathCode, fresh, indent, modelConst, modelConstNumber, moduleConst, notOneOf, oneOfMessage, pointerSegment,
  readField, resolve, use,
} from './validators-context.js';
import { simplePattern, simplePatternCode } from './validators-pattern.js';

type Mode = 'is' | 'report';

interface Check {
  readonly bad: string; // the condition under which the value fails
  readonly message: string;
}

const NONE: Constraints = {};

/** Whether a caller must send the field: neither `?` nor a default (JSON Schema `required`). */
export function isRequired(f: Field): boolean {
  return !f.optional && f.default === undefined;
}

/**
 * The statement that reports one issue at `path` (`$add` creates the issue list with its first issue). When the
 * path below the function's `p` and the message are constants, a root-level call (p === '', as the runtime
 * validates) adds one shared frozen issue instead of allocating it: reporting costs little more than finding.
 * Below the root, `$issue` makes it, once per value when the caller passed the value's kept issues (`k`: see
 * refCheck), numbered as the root's shared issue is.
 * `tail`: nothing in the function can report after this statement (see checkValue), so it returns; at the root,
 * as the only issue, it returns a shared frozen list of that issue, and a value with one mistake allocates nothing.
 * Such a list is only ever returned (to validate_, through a union's report_), never added to: a report_ called
 * below the root gets a non-empty `p`.
 * Any other statement with a constant issue adds it in place (`$first` for the list's first issue, else a push)
 * rather than through `$add`: V8 inlines only so much into one function, and what it then left as calls cost
 * CreateOrderRequest's invalid inputs a fifth. Below an item whose checks are written out (see inlineReport), the
 * issue is the item's kept one, looked up in place ($issue makes it the first time).
 */
export function push(ctx: EmitContext, path: PathCode, messageCode: string, tail = false): string {
  use(ctx, 'add');
  const constant = /^"(?:[^"\\]|\\.)*"$/.test(messageCode);
  const item = constant ? path.keptItem() : null;
  if (item !== null) {
    use(ctx, 'shared');
    use(ctx, 'issue');
    const shared = modelConst(ctx, `$shared(${lit(item.below)}, ${messageCode})`);
    const n = modelConstNumber(shared);
    const k = item.kept;
    return added(ctx, `${k} !== undefined && ${k}[${n}] !== undefined ? ${k}[${n}]! : $issue(${item.item.codeAtRoot()}, ${k}, ${n}, ${shared})`);
  }
  const below = constant ? path.constantBelowParam() : null;
  if (below === null) return `e = $add(e, { path: ${path.codeAtRoot()}, message: ${messageCode} });`;
  use(ctx, 'shared');
  const shared = modelConst(ctx, `$shared(${lit(below)}, ${messageCode})`);
  use(ctx, 'issue');
  ctx.keptRead = true;
  const n = modelConstNumber(shared);
  const issue = `${path.param} === '' ? ${shared} : $issue(${path.param}, k, ${n}, ${shared})`;
  if (!tail) return added(ctx, issue);
  use(ctx, 'only');
  const list = modelConst(ctx, `$only(${shared})`);
  return `return ${path.param} === '' && e === null ? ${list} : $add(e, ${issue});`;
}

/** The statement that adds the issue `issue` (an expression) to `e` in place. */
function added(ctx: EmitContext, issue: string): string {
  use(ctx, 'first');
  return `{ const iss = ${issue}; if (e === null) e = $first(iss); else e.push(iss); }`;
}

/** One statement per check; `tail` (see push) applies to the last. */
function render(ctx: EmitContext, mode: Mode, checks: readonly Check[], path: PathCode, tail = false): string[] {
  return checks.map((c, i) => `if (${c.bad}) ${mode === 'is' ? 'return false;' : push(ctx, path, lit(c.message), tail && i === checks.length - 1)}`);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function formatBad(ctx: EmitContext, format: StringFormat, x: string): string | null {
  switch (format) {
    case 'email':
    case 'uuid':
    case 'ipv4':
    case 'ipv6':
      use(ctx, format);
      return `!$${format}.test(${x})`;
    case 'uri':
      use(ctx, 'uri');
      return `!$uri(${x})`;
    case 'date':
      use(ctx, 'date');
      return `!$date(${x})`;
    case 'date-time':
      use(ctx, 'dateTime');
      return `!$dateTime(${x})`;
    default:
      return null; // not a format the IR allows; the reader reports it
  }
}

function stringChecks(ctx: EmitContext, c: Constraints, x: string, format: StringFormat | undefined): Check[] {
  const out: Check[] = [];
  const min = c.minLength;
  if (min !== undefined && min > 0) {
    if (min > 1) use(ctx, 'len');
    // A string has between length/2 and length code points: count them only when that range straddles the limit.
    const bad = min <= 1 ? `${x}.length < ${min}` : `${x}.length < ${min} || (${x}.length < ${2 * min} && $len(${x}) < ${min})`;
    out.push({ bad, message: `must have at least ${plural(min, 'character')}` });
  }
  const max = c.maxLength;
  if (max !== undefined) {
    use(ctx, 'len');
    out.push({ bad: `${x}.length > ${max} && $len(${x}) > ${max}`, message: `must have at most ${plural(max, 'character')}` });
  }
  if (c.pattern !== undefined) {
    const simple = simplePattern(c.pattern);
    const bad = simple !== null
      ? `!${moduleConst(ctx, 'pattern', simplePatternCode(c.pattern, simple))}(${x})`
      : `!${moduleConst(ctx, 're', `new RegExp(${lit(c.pattern)}, 'u')`)}.test(${x})`;
    out.push({ bad, message: `must match pattern ${c.pattern}` });
  }
  if (format !== undefined) {
    const bad = formatBad(ctx, format, x);
    if (bad !== null) out.push({ bad, message: `must be a valid ${format}` });
  }
  return out;
}

function numberChecks(ctx: EmitContext, c: Constraints, x: string): Check[] {
  const out: Check[] = [];
  if (c.minimum !== undefined) out.push({ bad: `${x} < ${c.minimum}`, message: `must be >= ${c.minimum}` });
  if (c.maximum !== undefined) out.push({ bad: `${x} > ${c.maximum}`, message: `must be <= ${c.maximum}` });
  if (c.exclusiveMinimum !== undefined) out.push({ bad: `${x} <= ${c.exclusiveMinimum}`, message: `must be > ${c.exclusiveMinimum}` });
  if (c.exclusiveMaximum !== undefined) out.push({ bad: `${x} >= ${c.exclusiveMaximum}`, message: `must be < ${c.exclusiveMaximum}` });
  if (c.multipleOf !== undefined) {
    use(ctx, 'multipleOf');
    // ajv fails every value for multipleOf 0.
    const bad = c.multipleOf === 0 ? 'true' : `!$multipleOf(${x}, ${c.multipleOf})`;
    out.push({ bad, message: `must be a multiple of ${c.multipleOf}` });
  }
  return out;
}

/** Whether every item of `t` is a primitive (what a parameter can carry, or null), so that uniqueItems can compare with `===`. */
function isPrimitive(ctx: EmitContext, t: TypeRef): boolean {
  return t.kind === 'nullable' ? isPrimitive(ctx, t.inner) : isParameterType(t, ctx.models);
}

function arrayChecks(ctx: EmitContext, mode: Mode, c: Constraints, x: string, path: PathCode, prim: boolean, tail = false): string[] {
  const checks: Check[] = [];
  if (c.minItems !== undefined) checks.push({ bad: `${x}.length < ${c.minItems}`, message: `must have at least ${plural(c.minItems, 'item')}` });
  if (c.maxItems !== undefined) checks.push({ bad: `${x}.length > ${c.maxItems}`, message: `must have at most ${plural(c.maxItems, 'item')}` });
  const out = render(ctx, mode, checks, path, tail && c.uniqueItems !== true);
  if (c.uniqueItems === true) {
    const fn = prim ? 'dupPrim' : 'dupDeep';
    use(ctx, fn);
    if (mode === 'is') {
      out.push(`if ($${fn}(${x}) !== null) return false;`);
    } else {
      const d = fresh(ctx, 'd');
      out.push(`const ${d} = $${fn}(${x});`);
      out.push(`if (${d} !== null) ${push(ctx, path, `'must not have duplicate items (items ' + ${d}[0] + ' and ' + ${d}[1] + ' are equal)'`)}`);
    }
  }
  return out;
}

/** Constraint checks for a value whose JSON type is only known at run time (unknown, enums, literals). */
function guarded(ctx: EmitContext, mode: Mode, c: Constraints, x: string, path: PathCode): string[] {
  const out: string[] = [];
  const block = (cond: string, lines: string[]) => {
    if (lines.length > 0) out.push(`if (${cond}) {`, ...indent(lines), '}');
  };
  block(`typeof ${x} === 'string'`, render(ctx, mode, stringChecks(ctx, c, x, c.format), path));
  block(`Number.isFinite(${x})`, render(ctx, mode, numberChecks(ctx, c, x), path));
  block(`Array.isArray(${x})`, arrayChecks(ctx, mode, c, x, path, false));
  return out;
}

/** `if (bad) fail; [else] { inner }`: inner checks run only on a value of the right type. */
function typed(ctx: EmitContext, mode: Mode, bad: string, noun: string, orNull: boolean, path: PathCode, inner: string[], tail: boolean): string[] {
  if (mode === 'is') return [`if (${bad}) return false;`, ...inner];
  const first = `if (${bad}) ${push(ctx, path, lit(`must be ${noun}${orNull ? ' or null' : ''}`), tail)}`;
  return inner.length === 0 ? [first] : [first, 'else {', ...indent(inner), '}'];
}

function oneOf(ctx: EmitContext, mode: Mode, values: readonly (string | number | boolean)[], c: Constraints, x: string, path: PathCode, orNull: boolean, tail: boolean): string[] {
  const bad = notOneOf(ctx, x, values);
  const inner = guarded(ctx, mode, c, x, path);
  if (mode === 'is') return [`if (${bad}) return false;`, ...inner];
  const first = `if (${bad}) ${push(ctx, path, lit(oneOfMessage(orNull ? [...values, 'null'] : values)), tail)}`;
  return inner.length === 0 ? [first] : [first, 'else {', ...indent(inner), '}'];
}

/** The `$Items` constant that keeps the pointers of the items under `prefix` ('/tags/'), one per prefix. */
function itemsConst(ctx: EmitContext, prefix: string): string {
  use(ctx, 'items');
  return moduleConst(ctx, 'items', `new $Items(${lit(prefix)})`);
}

function refCheck(ctx: EmitContext, mode: Mode, model: Compiled, x: string, path: PathCode, orNull: boolean, tail: boolean): string[] {
  const id = ctx.idents.get(model.name)!;
  if (mode === 'is') return [`if (!is_${id}(${x})) return false;`];
  const checks = inlinable(ctx, model, path) ? inlineReport(ctx, model, x, path) : [callReport(ctx, model, id, x, path)];
  if (!orNull) return checks;
  const notObject = `if (typeof ${x} !== 'object' || Array.isArray(${x})) ${push(ctx, path, lit('must be an object or null'), tail)}`;
  return checks.length === 1 ? [notObject, `else ${checks[0]}`] : [notObject, 'else {', ...indent(checks), '}'];
}

/**
 * `report_<n>` of the nested value. A model with nested models is reported only once is_ rejected it (see
 * emitValidate): each nested value is then reported in the same single pass, without checking it with is_ first and
 * then again. At the root, a nested value under a constant pointer (a field, or an item of an array field) gets
 * its kept issues: one table per pointer and model (see $Kept), so its issues are made once.
 */
function callReport(ctx: EmitContext, model: Compiled, id: string, x: string, path: PathCode): string {
  const kept = keptTable(ctx, path, model.name);
  return `e = report_${id}(${x}, ${path.codeAtRoot()}, e${kept === null ? '' : `, ${kept}`});`;
}

/** `p === '' ? $keptN.at(…) : undefined` for a value at `path` (see PathCode.keptAtRoot), the table named by `label`. */
function keptTable(ctx: EmitContext, path: PathCode, label: string): string | null {
  return path.keptAtRoot((pointer) => {
    use(ctx, 'kept');
    return moduleConst(ctx, 'kept', `new $Kept(${lit(pointer)}, ${lit(label)})`);
  });
}

/**
 * Fields of a model whose checks may be written out into a loop (see inlinable), how deep such models nest, and how
 * many fields one report function writes out in all (models with many arrays of models call the rest: a function of
 * tens of kilobytes of bytecode is one V8 no longer optimizes).
 */
const INLINE_FIELDS = 16;
const INLINE_DEPTH = 3;
export const INLINE_BUDGET = 64;

/**
 * Whether the checks of the nested `model` are written out where its value is checked instead of calling its
 * report_: for the items of an array (or the values of a record) of a small object model that is not already being
 * written out (recursion), not too deep, while the enclosing report's budget lasts. A call per item costs more than
 * the item's checks when most items have a problem or two, and V8 does not inline a report_ of more than a few
 * fields (CreateOrderRequest's invalid inputs: 31 → 38 M/s). A model in a single field stays a call: it costs once per value, and writing it out would
 * copy it into every model that has it.
 */
function inlinable(ctx: EmitContext, model: Compiled, path: PathCode): model is ObjectModel {
  return model.kind === 'object' && path.endsInExpr() && model.fields.length <= INLINE_FIELDS && model.fields.length <= ctx.inlineBudget &&
    ctx.inline.length < INLINE_DEPTH && !ctx.inline.includes(model.name);
}

/**
 * The report of `model`'s checks on the value `x` at `path`, written out (see inlinable). Its issues are numbered
 * among the enclosing report's own; at the root, an item of an array at a constant pointer has its kept issues in a
 * table of that report's (`k<n>`, see push), the others are made per report, as report_ would make them.
 */
function inlineReport(ctx: EmitContext, model: ObjectModel, x: string, path: PathCode): string[] {
  const out: string[] = [];
  let at = path;
  // The table's issues are numbered as the enclosing model's, so it is that model's own.
  const kept = keptTable(ctx, path, `${ctx.inline[0]} ${model.name}`);
  if (kept !== null) {
    const k = fresh(ctx, 'k');
    out.push(`const ${k} = ${kept};`);
    at = path.withKept(k);
  }
  out.push(`if (typeof ${x} !== 'object' || ${x} === null || Array.isArray(${x})) ${push(ctx, at, lit('must be an object'))}`);
  const y = fresh(ctx, 'y');
  ctx.inlineBudget -= model.fields.length;
  ctx.inline.push(model.name);
  const body = model.fields.flatMap((f) => reportField(ctx, f, x, y, at, checkValue(ctx, 'report', f.type, y, at.text(pointerSegment(f.name)), f.constraints)));
  ctx.inline.pop();
  if (body.length > 0) out.push('else {', `  let ${y}: any;`, ...indent(body), '}');
  return out;
}

/**
 * The report statements of field `f` of the object in `v`, read into the local `x`, with `checks` (its value's
 * checks at its place below `base`); `tail` as in push.
 */
export function reportField(ctx: EmitContext, f: Field, v: string, x: string, base: PathCode, checks: readonly string[], tail = false): string[] {
  const path = base.text(pointerSegment(f.name));
  const read = `${x} = ${readField(ctx, v, f.name)};`;
  if (isRequired(f)) {
    const out = [read, `if (${x} === undefined) ${push(ctx, path, lit('is required'), tail)}`];
    if (checks.length > 0) out.push('else {', ...indent(checks), '}');
    return out;
  }
  return checks.length > 0 ? [read, `if (${x} !== undefined) {`, ...indent(checks), '}'] : [];
}

/**
 * Statements that check the local `x` against `t`, with the field-level constraints `c` (passed through
 * nullable, not into items). 'is' mode returns false on the first problem; 'report' mode pushes each problem.
 * `tail`: these statements end the report function (its last field), so a report that nothing can follow may
 * return at once (see push); inside loops and after a check that may report again, nothing is a tail.
 */
export function checkValue(ctx: EmitContext, mode: Mode, t: TypeRef, x: string, path: PathCode, c: Constraints, orNull = false, tail = false): string[] {
  switch (t.kind) {
    case 'string':
      return typed(ctx, mode, `typeof ${x} !== 'string'`, 'a string', orNull, path, render(ctx, mode, stringChecks(ctx, c, x, c.format), path, tail), tail);
    case 'date':
      return typed(ctx, mode, `typeof ${x} !== 'string'`, 'a date-time string', orNull, path, render(ctx, mode, stringChecks(ctx, c, x, c.format ?? 'date-time'), path, tail), tail);
    case 'number':
      return typed(ctx, mode, `!Number.isFinite(${x})`, 'a number', orNull, path, render(ctx, mode, numberChecks(ctx, c, x), path, tail), tail);
    case 'integer': {
      const checks = render(ctx, mode, numberChecks(ctx, c, x), path, tail);
      if (mode === 'is') return [`if (!Number.isInteger(${x})) return false;`, ...checks];
      // Like ajv, a fractional number is reported as not an integer and still checked against its bounds; an
      // integer goes straight to its bounds, so a valid value pays what is_ pays.
      const message = lit(`must be an integer${orNull ? ' or null' : ''}`);
      if (checks.length === 0) return [`if (!Number.isInteger(${x})) ${push(ctx, path, message, tail)}`];
      const notInt = push(ctx, path, message);
      if (tail) {
        // A value that is not a number ends the report here; only a fractional one goes on to its bounds.
        return [
          `if (Number.isInteger(${x})) {`,
          ...indent(checks),
          `} else if (Number.isFinite(${x})) {`,
          `  ${notInt}`,
          ...indent(checks),
          `} else ${push(ctx, path, message, true)}`,
        ];
      }
      return [
        `if (Number.isInteger(${x})) {`,
        ...indent(checks),
        '} else {',
        `  ${notInt}`,
        `  if (Number.isFinite(${x})) {`,
        ...indent(checks, 2),
        '  }',
        '}',
      ];
    }
    case 'boolean':
      return typed(ctx, mode, `typeof ${x} !== 'boolean'`, 'a boolean', orNull, path, [], tail);
    case 'unknown':
      return guarded(ctx, mode, c, x, path);
    case 'literal':
      return oneOf(ctx, mode, t.values, c, x, path, orNull, tail);
    case 'ref': {
      const target = resolve(ctx, t);
      if (target === null) return [mode === 'is' ? 'return false;' : push(ctx, path, lit(`has an unknown type ${t.name}`), tail)];
      if (Array.isArray(target)) return oneOf(ctx, mode, target as readonly (string | number)[], c, x, path, orNull, tail);
      return refCheck(ctx, mode, target as Compiled, x, path, orNull, tail);
    }
    case 'array': {
      const i = fresh(ctx, 'i');
      const item = fresh(ctx, 'x');
      const itemPath = mode === 'report' ? path.index(i, (prefix) => itemsConst(ctx, prefix)) : path.text('/').expr(i);
      const itemChecks = checkValue(ctx, mode, t.items, item, itemPath, NONE);
      const inner = arrayChecks(ctx, mode, c, x, path, isPrimitive(ctx, t.items), tail && itemChecks.length === 0);
      if (itemChecks.length > 0) {
        inner.push(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++) {`, `  const ${item} = ${x}[${i}];`, ...indent(itemChecks), '}');
      }
      return typed(ctx, mode, `!Array.isArray(${x})`, 'an array', orNull, path, inner, tail);
    }
    case 'record': {
      const k = fresh(ctx, 'k');
      const value = fresh(ctx, 'x');
      if (mode === 'report') use(ctx, 'ptr');
      const valueChecks = checkValue(ctx, mode, t.values, value, path.text('/').expr(`$ptr(${k})`), NONE);
      const inner = valueChecks.length === 0 ? [] : [`for (const ${k} in ${x}) {`, `  const ${value} = ${x}[${k}];`, ...indent(valueChecks), '}'];
      return typed(ctx, mode, `typeof ${x} !== 'object' || ${x} === null || Array.isArray(${x})`, 'an object', orNull, path, inner, tail);
    }
    case 'nullable': {
      const inner = checkValue(ctx, mode, t.inner, x, path, c, true, tail);
      return inner.length === 0 ? [] : [`if (${x} !== null) {`, ...indent(inner), '}'];
    }
  }
}

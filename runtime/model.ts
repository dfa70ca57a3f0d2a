/**
 * Models are data: a class that extends `Model` lists fields with their types and JSDoc constraints, and
 * `gen build` compiles a validator, a parser and a serializer for it. `Model` has no instance members, so a plain
 * object with a model's fields is assignable wherever the model is expected.
 */
export abstract class Model {}

/** A JSON integer. Plain `number` at run time; `gen build` emits `"type": "integer"` and an integer check. */
export type Int = number;

/** A model class, as named by a service's `input` / `output`. */
export type ModelClass<T = unknown> = abstract new (...args: never[]) => T;

import type { JsonValue } from '@flaglens/evaluator';

/**
 * The `model` label of a variant: its configuration's `model` field, a string value itself (a flag
 * whose values are model names), or else the variant name. All come from the flag definition, never
 * from request data, so the label stays bounded.
 */
export function modelLabel(variant: string, value: JsonValue | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.model === 'string') return value.model;
  return variant;
}

/** The `type` label of a failure: the error's class name (`TimeoutError`), or the thrown value's type. */
export function errorType(error: unknown): string {
  if (error instanceof Error) return error.name || error.constructor.name || 'Error';
  return error === null ? 'null' : typeof error;
}

import type { JsonValue } from '../model/schema.js';

/** A `$ref` left in place, with the path to it inside the targeting and why. */
export interface UnresolvedRef {
  readonly path: readonly (string | number)[];
  readonly name: string;
  readonly problem: string;
}

function refName(value: JsonValue): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const name = value.$ref;
  return keys.length === 1 && typeof name === 'string' ? name : undefined;
}

/**
 * Replaces every `{ "$ref": "name" }` with (a copy of) `$evaluators.name`, resolving refs inside
 * evaluators too. A ref to a missing evaluator, or one that refers back to itself, stays in
 * place and is reported.
 */
export function resolveRefs(
  logic: JsonValue,
  evaluators: Readonly<Record<string, JsonValue>>,
): { logic: JsonValue; unresolved: UnresolvedRef[] } {
  const unresolved: UnresolvedRef[] = [];
  const walk = (value: JsonValue, path: (string | number)[], expanding: ReadonlySet<string>): JsonValue => {
    const name = refName(value);
    if (name !== undefined) {
      const target = Object.hasOwn(evaluators, name) ? evaluators[name] : undefined;
      if (target === undefined || expanding.has(name)) {
        const problem =
          target === undefined ? `unknown evaluator ${JSON.stringify(name)}` : `evaluator ${JSON.stringify(name)} refers to itself`;
        unresolved.push({ path: [...path, '$ref'], name, problem });
        return value;
      }
      return walk(target, path, new Set([...expanding, name]));
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], expanding));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key], expanding)]));
    }
    return value;
  };
  return { logic: walk(logic, [], new Set()), unresolved };
}

import { LogicEngine } from 'json-logic-engine';
import type { JsonValue } from '../model/schema.js';
import type { Context } from '../operators/attribute.js';

const engine = new LogicEngine();

/**
 * Compiles flagd JsonLogic targeting into a function of the context. Throws when the logic
 * cannot be built (unknown operator, unresolved `$ref`).
 */
export function compileJsonLogic(logic: JsonValue, flagKey: string): (context: Context) => unknown {
  const run = engine.build(logic) as (data: unknown) => unknown;
  return (context) => run({ ...context, $flagd: { flagKey, timestamp: Math.floor(Date.now() / 1000) } });
}

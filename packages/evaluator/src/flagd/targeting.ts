import { LogicEngine } from 'json-logic-engine';
import type { JsonValue } from '../model/schema.js';
import type { Context } from '../operators/attribute.js';
import { type FlagdProperties, fractional } from './fractional.js';
import { semVer } from './sem-ver.js';
import { endsWith, startsWith } from './string-comparison.js';

type Data = Readonly<Record<string, unknown>>;

const asArgs = (args: unknown): readonly unknown[] => (Array.isArray(args) ? args : [args]);

function flagdEngine(): LogicEngine {
  const engine = new LogicEngine();
  // Pure functions of their arguments: the engine may fold them when the arguments are constants.
  engine.addMethod('sem_ver', (args: unknown) => semVer(asArgs(args)), { deterministic: true });
  engine.addMethod('starts_with', (args: unknown) => startsWith(asArgs(args)), { deterministic: true });
  engine.addMethod('ends_with', (args: unknown) => endsWith(asArgs(args)), { deterministic: true });
  // Reads targetingKey and $flagd from the data, so never folded. Arguments arrive evaluated,
  // which is what lets nested expressions serve as picks and weights (@fractional-nested).
  engine.addMethod('fractional', (args: unknown, data: Data | undefined) => fractional(asArgs(args), data ?? {}));
  return engine;
}

const engine = flagdEngine();

function describeFailure(error: unknown): Error {
  if (error instanceof Error) return error;
  // json-logic-engine throws plain objects such as { type: 'Unknown Operator', key: 'nope' }.
  if (error !== null && typeof error === 'object' && 'key' in error) {
    const key = String(error.key);
    return new Error(key === '$ref' ? 'a "$ref" names no evaluator in "$evaluators"' : `unknown operator ${JSON.stringify(key)}`);
  }
  return new Error(String(error));
}

/**
 * Compiles flagd JsonLogic targeting, with flagd's `fractional`, `sem_ver`, `starts_with` and
 * `ends_with`, into a function of the context. The logic sees the context plus
 * `$flagd: { flagKey, timestamp }`. Throws when the logic cannot be built (unknown operator,
 * unresolved `$ref`).
 */
export function compileJsonLogic(logic: JsonValue, flagKey: string): (context: Context) => unknown {
  let run: (data: Data) => unknown;
  try {
    run = engine.build(logic) as (data: Data) => unknown;
  } catch (error) {
    throw describeFailure(error);
  }
  return (context) => {
    const $flagd: FlagdProperties = { flagKey, timestamp: Math.floor(Date.now() / 1000) };
    return run({ ...context, $flagd });
  };
}

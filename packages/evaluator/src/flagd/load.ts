import { FlagEvaluator } from '../evaluator.js';
import { importFlagd } from './import.js';

/** How {@link loadFlagd} treats targeting it cannot build. */
export interface LoadFlagdOptions {
  /**
   * false (default, flagd's behaviour): a flag whose targeting cannot be built, such as a `$ref`
   * to a missing evaluator, evaluates to ERROR / PARSE_ERROR and the rest of the set works.
   * true: such a flag rejects the whole document with a FlagValidationError.
   */
  readonly strict?: boolean;
}

/**
 * Imports a flagd flag definition document and returns an evaluator over it.
 *
 * @example
 * const flags = loadFlagd(readFileSync('flags.flagd.json', 'utf8'));
 * const { value, reason } = flags.evaluate('new-welcome-banner', { targetingKey: userId }, false);
 */
export function loadFlagd(document: string | object, options: LoadFlagdOptions = {}): FlagEvaluator {
  const strict = options.strict ?? false;
  return new FlagEvaluator(importFlagd(document, { strict }), { lenientTargeting: !strict });
}

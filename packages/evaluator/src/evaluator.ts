import type { EvaluationDetails } from './compile/details.js';
import { evaluateFlag } from './compile/evaluate.js';
import type { CompileFlagOptions } from './compile/flag.js';
import { type CompiledFlagSet, compileFlagSet } from './compile/flag-set.js';
import type { FlagSet, FlagType } from './model/schema.js';
import type { Context } from './operators/attribute.js';

/** Called after a new flag set is in place, with the keys whose definition changed, appeared or went away. */
export type FlagSetListener = (changedKeys: string[]) => void;

/**
 * Holds the current compiled flag set and evaluates against it. `load` validates and
 * compiles a whole new set and swaps it in at once; an invalid set throws and the old one stays.
 *
 * @example
 * const flags = new FlagEvaluator(definition);
 * const { value, variant } = flags.evaluate('ai-model', { targetingKey: userId }, 'v1');
 */
export class FlagEvaluator {
  #set: CompiledFlagSet | undefined;
  readonly #listeners = new Set<FlagSetListener>();
  readonly #options: CompileFlagOptions;

  constructor(flagSet?: unknown, options: CompileFlagOptions = {}) {
    this.#options = options;
    if (flagSet !== undefined) this.#set = compileFlagSet(flagSet, options);
  }

  /** Whether a flag set has been loaded. */
  get ready(): boolean {
    return this.#set !== undefined;
  }

  /** The current validated flag set, if any. */
  get flagSet(): FlagSet | undefined {
    return this.#set?.definition;
  }

  /** Validates, compiles and swaps in a new flag set; returns the keys that changed. */
  load(flagSet: unknown): string[] {
    const next = compileFlagSet(flagSet, this.#options);
    return this.replace(next);
  }

  /** Swaps in an already compiled set; returns the keys that changed. */
  replace(next: CompiledFlagSet): string[] {
    const previous = this.#set?.definition;
    this.#set = next;
    const changed = changedKeys(previous, next.definition);
    if (changed.length > 0) {
      for (const listener of this.#listeners) {
        try {
          listener(changed);
        } catch {
          // A listener's failure must not stop the others or the swap.
        }
      }
    }
    return changed;
  }

  /** Evaluates a flag; never throws (see {@link evaluateFlag}). */
  evaluate<T>(flagKey: string, context: Context | undefined, defaultValue: T, expectedType?: FlagType): EvaluationDetails<T> {
    return evaluateFlag(this.#set, flagKey, context, defaultValue, expectedType);
  }

  /** Subscribes to flag set changes; returns the unsubscribe function. */
  onChange(listener: FlagSetListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

function changedKeys(previous: FlagSet | undefined, next: FlagSet): string[] {
  const before = previous?.flags ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(next.flags)]);
  const segmentsChanged = JSON.stringify(previous?.segments ?? {}) !== JSON.stringify(next.segments);
  return [...keys].filter((key) => segmentsChanged || JSON.stringify(before[key]) !== JSON.stringify(next.flags[key]));
}

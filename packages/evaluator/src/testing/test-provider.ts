import { parseFlagSet } from '../compile/flag-set.js';
import { FlagEvaluator } from '../evaluator.js';
import type { FlagSet, FlagSetInput } from '../model/schema.js';
import { FlaglensProvider } from '../openfeature/provider.js';
import { type Pins, pinVariants } from './pin.js';

/**
 * A FlaglensProvider for application tests: it serves a fixed flag set, and pins flags to
 * variants that can change mid-test. Each change emits `ConfigurationChanged` like a real update.
 */
export class TestProvider extends FlaglensProvider {
  readonly #evaluator: FlagEvaluator;
  readonly #flagSet: FlagSet;
  readonly #initialPins: Pins;
  #pins: Pins;

  /** Validates the flag set and the initial pins; throws FlagValidationError on either. */
  constructor(flagSet: FlagSetInput | FlagSet, pins: Pins = {}) {
    const definition = parseFlagSet(flagSet);
    const evaluator = new FlagEvaluator(pinVariants(definition, pins));
    super(evaluator);
    this.#evaluator = evaluator;
    this.#flagSet = definition;
    this.#initialPins = { ...pins };
    this.#pins = this.#initialPins;
  }

  /** The pins in force now. */
  get pins(): Pins {
    return this.#pins;
  }

  /** Serves `variant` of `flagKey` to everyone from now on; throws FlagValidationError for an unknown flag or variant. */
  pin(flagKey: string, variant: string): this {
    this.#apply({ ...this.#pins, [flagKey]: variant });
    return this;
  }

  /** Goes back to the pins given at creation (none if none were given). */
  reset(): this {
    this.#apply(this.#initialPins);
    return this;
  }

  #apply(pins: Pins): void {
    this.#evaluator.load(pinVariants(this.#flagSet, pins));
    this.#pins = pins;
  }
}

/**
 * Creates a {@link TestProvider}, optionally with flags pinned from the start.
 *
 * @example
 * const provider = createTestProvider(flagSet, { 'ai-model': 'v2' });
 * await OpenFeature.setProviderAndWait(provider);
 * provider.pin('ai-model', 'v1');
 */
export function createTestProvider(flagSet: FlagSetInput | FlagSet, pins?: Pins): TestProvider {
  return new TestProvider(flagSet, pins);
}

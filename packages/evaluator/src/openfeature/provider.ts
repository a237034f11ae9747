import {
  type EvaluationContext,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import type { FlagEvaluator } from '../evaluator.js';
import type { FlagType } from '../model/schema.js';
import { toResolution } from './resolution.js';
import type { FlaglensProviderOptions, FlagSource, Tracker } from './types.js';

const ignore = (): void => {};

/**
 * OpenFeature server provider backed by a flaglens evaluator: evaluation is in-process and
 * synchronous, flag set changes become `ConfigurationChanged` events, and `client.track()`
 * goes to a pluggable tracker.
 *
 * @example
 * await OpenFeature.setProviderAndWait(new FlaglensProvider(new FlagEvaluator(flagSet)));
 * const model = await OpenFeature.getClient().getStringValue('ai-model', 'v1', { targetingKey: userId });
 */
export class FlaglensProvider implements Provider {
  /** Provider name reported to hooks and telemetry (`feature_flag.provider.name`). */
  readonly metadata = { name: 'flaglens' } as const;
  /** This provider evaluates per request context, so it is for servers. */
  readonly runsOn = 'server';
  /** Emits `ConfigurationChanged` with `flagsChanged` whenever the flag set changes. */
  readonly events = new OpenFeatureEventEmitter();
  readonly #source: FlagSource;
  #tracker: Tracker | undefined;
  #unsubscribe: (() => void) | undefined;

  /** Takes an evaluator that already holds its flags, or a source that loads them (such as a `FlagClient`). */
  constructor(source: FlagEvaluator | FlagSource, options: FlaglensProviderOptions = {}) {
    this.#source = 'evaluator' in source ? source : { evaluator: source, ready: () => Promise.resolve() };
    this.#tracker = options.tracker;
  }

  /** Replaces the tracker that receives `client.track()` calls; `undefined` turns tracking off. */
  setTracker(tracker: Tracker | undefined): void {
    this.#tracker = tracker;
  }

  /** Waits for the source's first flag set, then starts reporting changes. Called by the SDK. */
  async initialize(): Promise<void> {
    try {
      await this.#source.ready();
    } catch (error) {
      // The SDK marks the provider ERROR; the first set that arrives later brings it back to READY.
      this.#listen(true);
      throw error;
    }
    // Listening only after ready() keeps the first load from being reported as a change.
    this.#listen(false);
  }

  #listen(recovering: boolean): void {
    let awaitingFirstSet = recovering;
    this.#unsubscribe ??= this.#source.evaluator.onChange((flagsChanged) => {
      if (awaitingFirstSet) {
        awaitingFirstSet = false;
        this.events.emit(ProviderEvents.Ready);
        return;
      }
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
    });
  }

  /** Stops reporting changes and closes the source. Called by the SDK on shutdown or replacement. */
  async onClose(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#source.close?.();
  }

  /** Resolves a boolean flag. */
  async resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return this.#resolve(flagKey, defaultValue, context, 'boolean');
  }

  /** Resolves a string flag. */
  async resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return this.#resolve(flagKey, defaultValue, context, 'string');
  }

  /** Resolves a number flag. */
  async resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return this.#resolve(flagKey, defaultValue, context, 'number');
  }

  /** Resolves an object flag, such as a model configuration. */
  async resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    return this.#resolve(flagKey, defaultValue, context, 'object');
  }

  /** Forwards a tracking event to the tracker; a failing tracker never reaches the caller. */
  track(eventName: string, context: EvaluationContext, details: TrackingEventDetails): void {
    const tracker = this.#tracker;
    if (!tracker) return;
    try {
      // An async tracker's rejection would otherwise be unhandled, which ends a Node process by default.
      Promise.resolve(tracker(eventName, context, details)).catch(ignore);
    } catch {
      // Recording a business event is secondary to the request that triggered it.
    }
  }

  #resolve<T>(flagKey: string, defaultValue: T, context: EvaluationContext, type: FlagType): ResolutionDetails<T> {
    return toResolution(this.#source.evaluator.evaluate(flagKey, context, defaultValue, type));
  }
}

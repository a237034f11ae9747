import type { EvaluationContext, TrackingEventDetails } from '@openfeature/server-sdk';
import type { FlagEvaluator } from '../evaluator.js';

/**
 * Something that owns a FlagEvaluator and knows when its first flag set has arrived,
 * such as a `FlagClient` syncing with the control plane.
 */
export interface FlagSource {
  /** The evaluator holding the current flag set; read on every evaluation. */
  readonly evaluator: FlagEvaluator;
  /** Resolves once the first flag set is loaded; rejects if it never can be. */
  ready(): Promise<void>;
  /** Stops syncing and releases what the source holds. */
  close?(): Promise<void>;
}

/**
 * Receives `client.track()` calls, e.g. to record business events per variant.
 * It may be async; its errors and rejections are contained by the provider.
 */
export type Tracker = (eventName: string, context: EvaluationContext, details: TrackingEventDetails) => void | Promise<void>;

/** Options for {@link FlaglensProvider}. */
export interface FlaglensProviderOptions {
  /** Receives tracking events; defaults to none. */
  tracker?: Tracker;
}

/**
 * Keys the provider adds to `flagMetadata`; they override a flag's own metadata of the same name.
 * `version` is OpenFeature's well-known key, which hooks map to the `feature_flag.version` attribute.
 */
export const FlagMetadataKey = {
  /** Version of the flag that decided, as a string (OpenFeature appendix D: "a version string"). */
  VERSION: 'version',
  /** Index of the targeting rule that matched; absent when none did. */
  RULE_INDEX: 'ruleIndex',
  /** `id` of the targeting rule that matched, when it has one. */
  RULE_ID: 'ruleId',
} as const;

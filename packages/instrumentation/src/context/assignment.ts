import type { JsonValue } from '@flaglens/evaluator';
import type { Attributes } from '@opentelemetry/api';
import {
  FEATURE_FLAG_KEY,
  FEATURE_FLAG_PROVIDER_NAME,
  FEATURE_FLAG_RESULT_VARIANT,
  FEATURE_FLAG_VERSION,
  FLAGLENS_ASSIGNMENTS,
} from '../semconv.js';

/** One flag's decision for the current request: which variant it is on and why. */
export interface Assignment {
  /** The flag's key. */
  readonly flagKey: string;
  /** The variant served; `undefined` when the caller's default was served (the flag was missing or failed). */
  readonly variant: string | undefined;
  /** OpenFeature reason (`SPLIT`, `TARGETING_MATCH`, ...), when known. */
  readonly reason?: string | undefined;
  /** Version of the flag that decided, when known. */
  readonly version?: number | undefined;
  /** The served value (a model configuration, say); kept in the context, never put on spans. */
  readonly value?: JsonValue | undefined;
}

/** Variant label used when the caller's default was served and no variant name exists. */
export const DEFAULT_VARIANT_LABEL = '__default__';

/** `key=variant`, as carried in `flaglens.assignments`. */
export function assignmentLabel(assignment: Assignment): string {
  return `${assignment.flagKey}=${assignment.variant ?? DEFAULT_VARIANT_LABEL}`;
}

/**
 * The span attributes for a set of active assignments, innermost last: the innermost flag goes in
 * the `feature_flag.*` attributes and all of them in `flaglens.assignments`. {@link copyAssignmentAttributes}
 * writes these five names one by one, so a new attribute here needs its store there too.
 */
export function assignmentAttributes(assignments: readonly Assignment[], providerName: string): Attributes {
  const innermost = assignments.at(-1);
  if (!innermost) return {};
  const attributes: Attributes = {
    [FEATURE_FLAG_KEY]: innermost.flagKey,
    [FEATURE_FLAG_PROVIDER_NAME]: providerName,
    // Frozen: the span processor shares this array between every span of the context.
    [FLAGLENS_ASSIGNMENTS]: Object.freeze(assignments.map(assignmentLabel)) as string[],
  };
  if (innermost.variant !== undefined) attributes[FEATURE_FLAG_RESULT_VARIANT] = innermost.variant;
  if (innermost.version !== undefined) attributes[FEATURE_FLAG_VERSION] = String(innermost.version);
  return attributes;
}

/**
 * Copies what {@link assignmentAttributes} built into `target` (a span's attribute map). One store per
 * name, in the order they are built, rather than a loop over the keys: each store site then sees one
 * name and the same few object shapes, where a loop's single site went megamorphic over all five
 * (1.10 → 1.07× a plain span, bench spans).
 */
export function copyAssignmentAttributes(target: Attributes, attributes: Attributes): void {
  const { [FEATURE_FLAG_KEY]: key, [FEATURE_FLAG_PROVIDER_NAME]: provider, [FLAGLENS_ASSIGNMENTS]: all } = attributes;
  const { [FEATURE_FLAG_RESULT_VARIANT]: variant, [FEATURE_FLAG_VERSION]: version } = attributes;
  if (key !== undefined) target[FEATURE_FLAG_KEY] = key;
  if (provider !== undefined) target[FEATURE_FLAG_PROVIDER_NAME] = provider;
  if (all !== undefined) target[FLAGLENS_ASSIGNMENTS] = all;
  if (variant !== undefined) target[FEATURE_FLAG_RESULT_VARIANT] = variant;
  if (version !== undefined) target[FEATURE_FLAG_VERSION] = version;
}

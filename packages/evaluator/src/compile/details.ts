import type { FlagType, JsonValue } from '../model/schema.js';

/** Why a value was served; the OpenFeature reasons. */
export const Reason = {
  STATIC: 'STATIC',
  TARGETING_MATCH: 'TARGETING_MATCH',
  SPLIT: 'SPLIT',
  DEFAULT: 'DEFAULT',
  DISABLED: 'DISABLED',
  ERROR: 'ERROR',
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

/** Why an evaluation failed; the values of OpenFeature's `ErrorCode`. */
export const ErrorCode = {
  FLAG_NOT_FOUND: 'FLAG_NOT_FOUND',
  PARSE_ERROR: 'PARSE_ERROR',
  TYPE_MISMATCH: 'TYPE_MISMATCH',
  TARGETING_KEY_MISSING: 'TARGETING_KEY_MISSING',
  INVALID_CONTEXT: 'INVALID_CONTEXT',
  PROVIDER_NOT_READY: 'PROVIDER_NOT_READY',
  GENERAL: 'GENERAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Primitive flag metadata, as OpenFeature's `flagMetadata`. */
export type FlagMetadata = Readonly<Record<string, string | number | boolean>>;

/** The result of one evaluation, shaped like OpenFeature's evaluation details. */
export interface EvaluationDetails<T = JsonValue> {
  flagKey: string;
  /** The served value: the variant's, or the caller's default on `ERROR`, `DISABLED` without an off variant, `DEFAULT` without a fallthrough. */
  value: T;
  /** The served variant; undefined when the caller's default was served. */
  variant: string | undefined;
  reason: Reason;
  errorCode: ErrorCode | undefined;
  errorMessage: string | undefined;
  /** Index of the rule that matched, if one did. */
  ruleIndex: number | undefined;
  /** `id` of the rule that matched, if it has one. */
  ruleId: string | undefined;
  /** Version of the flag that decided; undefined when the flag was not found. */
  version: number | undefined;
  flagMetadata: FlagMetadata;
}

/** A precomputed decision; evaluation picks one and copies it into its details. */
export interface Outcome {
  readonly variant: string | undefined;
  /** undefined: serve the caller's default. */
  readonly value: JsonValue | undefined;
  readonly reason: Reason;
  readonly ruleIndex: number | undefined;
  readonly ruleId: string | undefined;
  readonly errorCode: ErrorCode | undefined;
  readonly errorMessage: string | undefined;
}

export function outcome(fields: Partial<Outcome> & Pick<Outcome, 'reason'>): Outcome {
  return Object.freeze({
    variant: fields.variant,
    value: fields.value,
    reason: fields.reason,
    ruleIndex: fields.ruleIndex,
    ruleId: fields.ruleId,
    errorCode: fields.errorCode,
    errorMessage: fields.errorMessage,
  });
}

export function errorOutcome(errorCode: ErrorCode, errorMessage: string): Outcome {
  return outcome({ reason: Reason.ERROR, errorCode, errorMessage });
}

/** The flag type a caller's default value asks for. */
export function typeOfDefault(value: unknown): FlagType {
  switch (typeof value) {
    case 'boolean':
    case 'string':
    case 'number':
      return typeof value as FlagType;
    default:
      return 'object';
  }
}

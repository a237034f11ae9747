import type { FlagType } from '../model/schema.js';
import type { Context } from '../operators/attribute.js';
import { ErrorCode, type EvaluationDetails, type FlagMetadata, type Outcome, Reason, typeOfDefault } from './details.js';
import type { CompiledFlagSet } from './flag-set.js';

const NO_METADATA: FlagMetadata = Object.freeze({});

function details<T>(
  flagKey: string,
  value: T,
  found: Outcome | undefined,
  version: number | undefined,
  metadata: FlagMetadata,
): EvaluationDetails<T> {
  return {
    flagKey,
    value,
    variant: found?.variant,
    reason: found?.reason ?? Reason.ERROR,
    errorCode: found?.errorCode,
    errorMessage: found?.errorMessage,
    ruleIndex: found?.ruleIndex,
    ruleId: found?.ruleId,
    version,
    flagMetadata: metadata,
  };
}

function failure<T>(
  flagKey: string,
  defaultValue: T,
  errorCode: ErrorCode,
  errorMessage: string,
  version?: number,
  metadata = NO_METADATA,
): EvaluationDetails<T> {
  return {
    flagKey,
    value: defaultValue,
    variant: undefined,
    reason: Reason.ERROR,
    errorCode,
    errorMessage,
    ruleIndex: undefined,
    ruleId: undefined,
    version,
    flagMetadata: metadata,
  };
}

/**
 * Evaluates one flag. Never throws: a missing flag, a type mismatch, a bad context or a
 * failure inside targeting returns `defaultValue` with reason ERROR and an error code.
 * The expected type is that of `defaultValue` unless given.
 */
export function evaluateFlag<T>(
  set: CompiledFlagSet | undefined,
  flagKey: string,
  context: Context | undefined,
  defaultValue: T,
  expectedType: FlagType = typeOfDefault(defaultValue),
): EvaluationDetails<T> {
  if (!set) return failure(flagKey, defaultValue, ErrorCode.PROVIDER_NOT_READY, 'no flag set has been loaded yet');
  const flag = set.flags.get(flagKey);
  if (!flag) return failure(flagKey, defaultValue, ErrorCode.FLAG_NOT_FOUND, `flag "${flagKey}" is not defined`);
  if (flag.type !== expectedType) {
    const message = `flag "${flagKey}" is a ${flag.type} flag, asked for a ${expectedType}`;
    return failure(flagKey, defaultValue, ErrorCode.TYPE_MISMATCH, message, flag.version, flag.metadata);
  }
  if (context !== undefined && (context === null || typeof context !== 'object' || Array.isArray(context))) {
    return failure(
      flagKey,
      defaultValue,
      ErrorCode.INVALID_CONTEXT,
      'the evaluation context must be an object',
      flag.version,
      flag.metadata,
    );
  }
  let found: Outcome;
  try {
    found = flag.resolve(context ?? NO_METADATA);
  } catch (error) {
    const message = `evaluation failed: ${error instanceof Error ? error.message : String(error)}`;
    return failure(flagKey, defaultValue, ErrorCode.GENERAL, message, flag.version, flag.metadata);
  }
  const value = found.value === undefined ? defaultValue : (found.value as T);
  return details(flagKey, value, found, flag.version, flag.metadata);
}

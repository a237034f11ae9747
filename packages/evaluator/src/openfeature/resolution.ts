import {
  type FlagMetadata,
  ErrorCode as OpenFeatureErrorCode,
  type ResolutionDetails,
  type ResolutionReason,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import type { ErrorCode, EvaluationDetails, Reason } from '../compile/details.js';
import { FlagMetadataKey } from './types.js';

const reasons: Record<Reason, ResolutionReason> = {
  STATIC: StandardResolutionReasons.STATIC,
  TARGETING_MATCH: StandardResolutionReasons.TARGETING_MATCH,
  SPLIT: StandardResolutionReasons.SPLIT,
  DEFAULT: StandardResolutionReasons.DEFAULT,
  DISABLED: StandardResolutionReasons.DISABLED,
  ERROR: StandardResolutionReasons.ERROR,
};

const errorCodes: Record<ErrorCode, OpenFeatureErrorCode> = {
  FLAG_NOT_FOUND: OpenFeatureErrorCode.FLAG_NOT_FOUND,
  PARSE_ERROR: OpenFeatureErrorCode.PARSE_ERROR,
  TYPE_MISMATCH: OpenFeatureErrorCode.TYPE_MISMATCH,
  TARGETING_KEY_MISSING: OpenFeatureErrorCode.TARGETING_KEY_MISSING,
  INVALID_CONTEXT: OpenFeatureErrorCode.INVALID_CONTEXT,
  PROVIDER_NOT_READY: OpenFeatureErrorCode.PROVIDER_NOT_READY,
  GENERAL: OpenFeatureErrorCode.GENERAL,
};

function metadataOf(details: EvaluationDetails<unknown>): FlagMetadata {
  const metadata: FlagMetadata = { ...details.flagMetadata };
  if (details.version !== undefined) metadata[FlagMetadataKey.VERSION] = String(details.version);
  if (details.ruleIndex !== undefined) metadata[FlagMetadataKey.RULE_INDEX] = details.ruleIndex;
  if (details.ruleId !== undefined) metadata[FlagMetadataKey.RULE_ID] = details.ruleId;
  return metadata;
}

/** Maps evaluator details to OpenFeature resolution details. */
export function toResolution<T>(details: EvaluationDetails<T>): ResolutionDetails<T> {
  const resolution: ResolutionDetails<T> = {
    value: details.value,
    reason: reasons[details.reason],
    flagMetadata: metadataOf(details),
  };
  if (details.variant !== undefined) resolution.variant = details.variant;
  if (details.errorCode !== undefined) {
    resolution.errorCode = errorCodes[details.errorCode];
    resolution.errorMessage = details.errorMessage;
  }
  return resolution;
}

// Everything but the FlagClient: no Node built-ins, so browser bundles (the dashboard's editors) can import it.
export { cumulativeLayout, layoutOf, reweightSplit } from './bucket/layout.js';
export { murmur3 } from './bucket/murmur3.js';
export { slotOfHash } from './bucket/slot.js';
export {
  ErrorCode,
  type EvaluationDetails,
  type FlagMetadata,
  Reason,
} from './compile/details.js';
export { evaluateFlag } from './compile/evaluate.js';
export type { CompiledFlag, CompileFlagOptions } from './compile/flag.js';
export { type CompiledFlagSet, compileFlagSet, parseFlagSet, validateFlagSet } from './compile/flag-set.js';
export { FlagEvaluator, type FlagSetListener } from './evaluator.js';
export { FlagValidationError, type ValidationIssue } from './model/errors.js';
export {
  type Condition,
  FLAG_TYPES,
  type Flag,
  type FlagInput,
  type FlagSet,
  type FlagSetInput,
  type FlagType,
  flagSchema,
  flagSetSchema,
  type JsonValue,
  OPERATORS,
  type Operator,
  type Rule,
  type Segment,
  type Serve,
  type SlotRange,
  type Split,
  type SplitArm,
  TOTAL_SLOTS,
} from './model/schema.js';
export type { Context } from './operators/attribute.js';

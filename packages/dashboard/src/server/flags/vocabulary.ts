import { FLAG_TYPES, type FlagType, OPERATORS, type Operator, TOTAL_SLOTS } from '@flaglens/evaluator';

/**
 * The evaluator's vocabulary as plain data for the browser. Pages hand it to the editors because the
 * evaluator's entry also carries the Node-only FlagClient, which a browser bundle cannot include.
 */
export interface FlagVocabulary {
  operators: readonly Operator[];
  flagTypes: readonly FlagType[];
  totalSlots: number;
}

export const FLAG_VOCABULARY: FlagVocabulary = { operators: OPERATORS, flagTypes: FLAG_TYPES, totalSlots: TOTAL_SLOTS };

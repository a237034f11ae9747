'use client';

import { createContext, useContext } from 'react';
import type { FlagVocabulary } from '@/src/server/flags/vocabulary';

const VocabularyContext = createContext<FlagVocabulary | null>(null);

export const VocabularyProvider = VocabularyContext.Provider;

/** The evaluator's operators, flag types and slot count, as the page passed them to the editor. */
export function useVocabulary(): FlagVocabulary {
  const vocabulary = useContext(VocabularyContext);
  if (!vocabulary) throw new Error('flag editor components need a VocabularyProvider');
  return vocabulary;
}

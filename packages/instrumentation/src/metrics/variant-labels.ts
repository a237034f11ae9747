import type { LabelGuard } from './label-guard.js';

/** The labels every per-variant metric carries. */
export interface VariantLabels {
  readonly flag: string;
  readonly variant: string;
  readonly model: string;
}

/** Whether a call answered the request (`served`) or ran alongside it (`shadow`). */
export type Mode = 'served' | 'shadow';

/** `flag`, `variant` and `model` passed through the guard. */
export function guardedVariant(guard: LabelGuard, labels: VariantLabels): { flag: string; variant: string; model: string } {
  return {
    flag: guard.value('flag', labels.flag),
    variant: guard.value('variant', labels.variant),
    model: guard.value('model', labels.model),
  };
}

/** `flag`, `variant`, `model` and `mode` passed through the guard. */
export function guardedCall(
  guard: LabelGuard,
  labels: VariantLabels,
  mode: Mode,
): { flag: string; variant: string; model: string; mode: string } {
  return {
    flag: guard.value('flag', labels.flag),
    variant: guard.value('variant', labels.variant),
    model: guard.value('model', labels.model),
    mode: guard.value('mode', mode),
  };
}

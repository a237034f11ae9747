import type { Counter, Registry } from 'prom-client';
import type { LabelGuard } from './label-guard.js';
import { counterIn } from './lookup.js';
import { MetricName } from './names.js';
import { guardedCall, type Mode, type VariantLabels } from './variant-labels.js';

/** Token usage and estimated cost of language-model calls, per variant. */
export class LlmMetrics {
  readonly #guard: LabelGuard;
  readonly #tokens: Counter<'flag' | 'variant' | 'model' | 'mode' | 'type'>;
  readonly #cost: Counter<'flag' | 'variant' | 'model' | 'mode'>;

  constructor(registry: Registry, guard: LabelGuard) {
    this.#guard = guard;
    this.#tokens = counterIn(registry, MetricName.LLM_TOKENS, 'Language-model tokens per variant, by type (input, output).', [
      'flag',
      'variant',
      'model',
      'mode',
      'type',
    ]);
    this.#cost = counterIn(
      registry,
      MetricName.LLM_COST,
      "Estimated language-model cost per variant in US dollars, from the variant's price table.",
      ['flag', 'variant', 'model', 'mode'],
    );
  }

  /** Adds one call's tokens and, when a price is known, its cost. Non-finite or negative amounts are ignored. */
  usage(labels: VariantLabels, mode: Mode, usage: { inputTokens: number; outputTokens: number }, costUsd: number | undefined): void {
    const l = guardedCall(this.#guard, labels, mode);
    if (usage.inputTokens > 0) this.#tokens.inc({ ...l, type: 'input' }, usage.inputTokens);
    if (usage.outputTokens > 0) this.#tokens.inc({ ...l, type: 'output' }, usage.outputTokens);
    if (costUsd !== undefined && Number.isFinite(costUsd) && costUsd > 0) this.#cost.inc(l, costUsd);
  }
}

import type { Counter, Registry } from 'prom-client';
import type { LabelGuard } from './label-guard.js';
import { counterIn } from './lookup.js';
import { MetricName } from './names.js';
import { guardedVariant, type VariantLabels } from './variant-labels.js';

/** Why a sampled shadow call did not run. */
export type ShadowDropReason = 'concurrency' | 'no_model';

/**
 * Metrics only shadow runs have. Latency, errors and predictions of shadow calls go to the ordinary
 * inference metrics with `mode="shadow"`; these add how often the shadow agreed with the served
 * prediction and how many sampled calls were dropped instead of queued.
 */
export class ShadowMetrics {
  readonly #guard: LabelGuard;
  readonly #agreement: Counter<'flag' | 'variant' | 'model' | 'served_variant' | 'agree'>;
  readonly #dropped: Counter<'flag' | 'variant' | 'reason'>;

  constructor(registry: Registry, guard: LabelGuard) {
    this.#guard = guard;
    this.#agreement = counterIn(
      registry,
      MetricName.SHADOW_AGREEMENT,
      'Shadow predictions compared with the served prediction for the same input, by agreement.',
      ['flag', 'variant', 'model', 'served_variant', 'agree'],
    );
    this.#dropped = counterIn(registry, MetricName.SHADOW_DROPPED, 'Sampled shadow calls not run, by reason.', [
      'flag',
      'variant',
      'reason',
    ]);
  }

  /** Counts one comparison of the shadow (`labels`) with the variant that served the same input. */
  agreement(labels: VariantLabels, servedVariant: string, agree: boolean): void {
    this.#agreement.inc({
      ...guardedVariant(this.#guard, labels),
      // Served and shadow variants come from the same flag, so they share the variant allow-list.
      served_variant: this.#guard.value('variant', servedVariant),
      agree: agree ? 'true' : 'false',
    });
  }

  /** Counts a sampled shadow call that was dropped. */
  dropped(flag: string, variant: string, reason: ShadowDropReason): void {
    this.#dropped.inc({ flag: this.#guard.value('flag', flag), variant: this.#guard.value('variant', variant), reason });
  }
}

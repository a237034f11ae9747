/**
 * Fault injection for demos and tests: makes one variant's model really slower or really wrong, so a
 * regression shows up in the service's own telemetry the way a bad model release would. Off unless the
 * service is started with `FAULT_INJECTION=1`; then `PUT /admin/faults` sets the faults and `DELETE` clears them.
 */

/** What is wrong with one variant's model. */
export interface VariantFault {
  /** Added to every call of the model, in ms (0 to 10,000). */
  readonly latencyMs: number;
  /** Share of calls whose answer is flipped (the probability p becomes 1 − p), 0 to 1. */
  readonly wrongRate: number;
}

/** Faults by variant name (`v2`); a variant not named runs as trained. */
export type Faults = Readonly<Record<string, VariantFault>>;

const VARIANT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function bounded(value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return min;
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

/** The faults in a `PUT /admin/faults` body (`{ "v2": { "latencyMs": 300, "wrongRate": 0.4 } }`), or the first invalid field. */
export function parseFaults(body: unknown): Faults | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body (an object of variant → fault)';
  // No prototype: a variant named `__proto__` or `constructor` is a key like any other.
  const faults: Record<string, VariantFault> = Object.create(null);
  for (const [variant, fault] of Object.entries(body)) {
    if (!VARIANT_NAME.test(variant)) return `variant name ${JSON.stringify(variant)}`;
    if (typeof fault !== 'object' || fault === null) return `${variant} (an object with latencyMs and/or wrongRate)`;
    const { latencyMs: latency, wrongRate: wrong, ...rest } = fault as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) return `${variant}.${unknown} (only latencyMs and wrongRate)`;
    const latencyMs = bounded(latency, 0, 10_000);
    if (latencyMs === undefined) return `${variant}.latencyMs (0 to 10000)`;
    const wrongRate = bounded(wrong, 0, 1);
    if (wrongRate === undefined) return `${variant}.wrongRate (0 to 1)`;
    faults[variant] = { latencyMs, wrongRate };
  }
  return faults;
}

/**
 * Runs a model call under its variant's fault: waits the added latency, then flips the probability
 * for `wrongRate` of the calls. `random` is a parameter so tests can pin it.
 */
export async function withFault(fault: VariantFault | undefined, probability: () => number, random = Math.random): Promise<number> {
  if (fault && fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  const p = probability();
  return fault && random() < fault.wrongRate ? 1 - p : p;
}

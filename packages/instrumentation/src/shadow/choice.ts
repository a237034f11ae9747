import type { JsonValue } from '@flaglens/evaluator';
import type { ShadowChoice } from '../inference/types.js';

/**
 * The shadow the served variant names in its configuration, else the one the route names in code.
 *
 * In the flag, the served variant's value carries `shadow: "<variant>"` or
 * `shadow: { variant: "<variant>", sampleRate: 0.1 }`, so the control plane turns a dark launch on,
 * widens its sample or stops it without a deploy. A malformed entry (sample rate outside [0, 1], no
 * variant name) means no shadow rather than an exception, as a bad split means no bucket.
 */
export function shadowChoice(servedValue: JsonValue | undefined, inCode: ShadowChoice | undefined): ShadowChoice | undefined {
  if (typeof servedValue === 'object' && servedValue !== null && !Array.isArray(servedValue) && 'shadow' in servedValue) {
    return parse(servedValue.shadow);
  }
  return inCode && valid(inCode.variant, inCode.sampleRate) ? inCode : undefined;
}

function parse(entry: JsonValue | undefined): ShadowChoice | undefined {
  if (typeof entry === 'string') return valid(entry, undefined) ? { variant: entry } : undefined;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const { variant, sampleRate } = entry;
  if (typeof variant !== 'string' || (sampleRate !== undefined && typeof sampleRate !== 'number')) return undefined;
  if (!valid(variant, sampleRate)) return undefined;
  return sampleRate === undefined ? { variant } : { variant, sampleRate };
}

function valid(variant: string, sampleRate: number | undefined): boolean {
  return variant.length > 0 && (sampleRate === undefined || (sampleRate >= 0 && sampleRate <= 1));
}

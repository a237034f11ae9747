import type { JsonValue } from '@flaglens/evaluator';
import type { Attributes } from '@opentelemetry/api';
import {
  FLAGLENS_LLM_COST_USD,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_USAGE_INPUT_TOKENS,
  GEN_AI_USAGE_OUTPUT_TOKENS,
} from '../semconv.js';

/** Tokens a language-model call used, as the provider's response reports them. */
export interface TokenUsage {
  /** Prompt tokens, cached ones included (`gen_ai.usage.input_tokens`). */
  readonly inputTokens?: number;
  /** Generated tokens, reasoning ones included (`gen_ai.usage.output_tokens`). */
  readonly outputTokens?: number;
  /** The model that answered (`gen_ai.response.model`), when it differs from the configured one; picks its price. */
  readonly model?: string;
}

/** US dollars per million tokens, as providers publish them. */
export interface ModelPrice {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

/** Usage summed over every report of one call. */
export interface UsageTotal {
  inputTokens: number;
  outputTokens: number;
  model: string | undefined;
}

/** Adds a report to a running total; a report with no usable numbers changes nothing. */
export function addUsage(total: UsageTotal, usage: TokenUsage): void {
  total.inputTokens += tokens(usage.inputTokens);
  total.outputTokens += tokens(usage.outputTokens);
  if (usage.model !== undefined) total.model = usage.model;
}

/**
 * The price for `model` from a variant's configuration: `prices[model]` (for a variant that may be
 * answered by several models), else `price`. Undefined when the configuration names none or a
 * number is missing, since a guessed price would be worse than no cost at all.
 *
 * @example
 * // variant value: { model: 'gpt-4o-mini', price: { inputPerMillion: 0.15, outputPerMillion: 0.6 } }
 */
export function priceOf(value: JsonValue | undefined, model: string): ModelPrice | undefined {
  if (!isRecord(value)) return undefined;
  const table = value.prices;
  const listed = isRecord(table) ? table[model] : undefined;
  return asPrice(listed) ?? asPrice(value.price);
}

/** Estimated cost in US dollars, or undefined without a price. */
export function costOf(total: UsageTotal, price: ModelPrice | undefined): number | undefined {
  if (!price) return undefined;
  return (total.inputTokens * price.inputPerMillion + total.outputTokens * price.outputPerMillion) / 1_000_000;
}

/** The GenAI span attributes for a call's usage. */
export function usageAttributes(requestModel: string, total: UsageTotal, costUsd: number | undefined): Attributes {
  const attributes: Attributes = {
    [GEN_AI_REQUEST_MODEL]: requestModel,
    [GEN_AI_USAGE_INPUT_TOKENS]: total.inputTokens,
    [GEN_AI_USAGE_OUTPUT_TOKENS]: total.outputTokens,
  };
  if (total.model !== undefined) attributes[GEN_AI_RESPONSE_MODEL] = total.model;
  if (costUsd !== undefined) attributes[FLAGLENS_LLM_COST_USD] = costUsd;
  return attributes;
}

function tokens(n: number | undefined): number {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : 0;
}

function asPrice(value: JsonValue | undefined): ModelPrice | undefined {
  if (!isRecord(value)) return undefined;
  const { inputPerMillion, outputPerMillion } = value;
  if (typeof inputPerMillion !== 'number' || typeof outputPerMillion !== 'number') return undefined;
  if (!(inputPerMillion >= 0 && outputPerMillion >= 0)) return undefined;
  return { inputPerMillion, outputPerMillion };
}

function isRecord(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { FlagEvaluator, type FlagSetInput } from '@flaglens/evaluator';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { FlagTelemetry } from '../flag-telemetry.js';
import { startTracing } from '../test/tracing.js';
import { priceOf } from './usage.js';

const { exporter } = startTracing();
afterEach(() => exporter.reset());

const llmFlags: FlagSetInput = {
  flags: {
    assistant: {
      type: 'object',
      variants: {
        small: { model: 'gpt-4o-mini', price: { inputPerMillion: 0.15, outputPerMillion: 0.6 } },
        routed: {
          model: 'router',
          prices: {
            'claude-haiku': { inputPerMillion: 1, outputPerMillion: 5 },
            'claude-opus': { inputPerMillion: 15, outputPerMillion: 75 },
          },
        },
        local: { model: 'llama-3-8b' },
      },
      rules: [
        { when: [{ attribute: 'plan', op: 'equals', value: 'pro' }], serve: { variant: 'routed' } },
        { when: [{ attribute: 'plan', op: 'equals', value: 'self' }], serve: { variant: 'local' } },
      ],
      fallthrough: { variant: 'small' },
    },
  },
};

function setup() {
  const registry = new Registry();
  const flaglens = new FlagTelemetry({ flags: new FlagEvaluator(llmFlags), metrics: { registry } });
  return { flaglens, registry };
}

interface Completion {
  text: string;
  usage: { prompt_tokens: number; completion_tokens: number };
}
const completion: Completion = { text: 'hi', usage: { prompt_tokens: 1200, completion_tokens: 300 } };
const models = { small: () => completion, routed: () => completion, local: () => completion };

describe('language-model usage', () => {
  it('puts GenAI token usage on the span and counts tokens and cost per variant, from a report during the call', async () => {
    const { flaglens, registry } = setup();
    await flaglens.routeInference({
      flag: 'assistant',
      context: { targetingKey: 'u1' },
      operation: 'chat',
      models: {
        small: (_variant, report) => {
          // An agent loop: two completions in one call.
          report.reportUsage({ inputTokens: 1000, outputTokens: 200 });
          report.reportUsage({ inputTokens: 200, outputTokens: 100 });
          return completion;
        },
      },
    });
    const span = exporter.getFinishedSpans().find((s) => s.name === 'chat');
    expect(span?.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
    });
    // 1200 × 0.15 / 1e6 + 300 × 0.6 / 1e6
    expect(span?.attributes['flaglens.llm.cost_usd']).toBeCloseTo(0.00036, 10);
    const text = await registry.metrics();
    expect(text).toContain(
      'flaglens_llm_tokens_total{flag="assistant",variant="small",model="gpt-4o-mini",mode="served",type="input"} 1200',
    );
    expect(text).toContain(
      'flaglens_llm_tokens_total{flag="assistant",variant="small",model="gpt-4o-mini",mode="served",type="output"} 300',
    );
    expect(text).toMatch(/flaglens_llm_cost_usd_total\{flag="assistant",variant="small",model="gpt-4o-mini",mode="served"\} 0\.00036/);
  });

  it('takes usage from describe, and the price of the model that answered from the price table', async () => {
    const { flaglens, registry } = setup();
    await flaglens.routeInference({
      flag: 'assistant',
      context: { targetingKey: 'u2', plan: 'pro' },
      operation: 'chat',
      models,
      describe: (c) => ({ usage: { inputTokens: c.usage.prompt_tokens, outputTokens: c.usage.completion_tokens, model: 'claude-opus' } }),
    });
    const span = exporter.getFinishedSpans().find((s) => s.name === 'chat');
    expect(span?.attributes['gen_ai.response.model']).toBe('claude-opus');
    // 1200 × 15 / 1e6 + 300 × 75 / 1e6
    expect(await registry.getSingleMetricAsString('flaglens_llm_cost_usd_total')).toContain(
      'variant="routed",model="router",mode="served"} 0.0405',
    );
  });

  it('counts tokens but no cost for a variant without a price', async () => {
    const { flaglens, registry } = setup();
    await flaglens.routeInference({
      flag: 'assistant',
      context: { targetingKey: 'u3', plan: 'self' },
      operation: 'chat',
      models,
      describe: (c) => ({ usage: { inputTokens: c.usage.prompt_tokens, outputTokens: c.usage.completion_tokens } }),
    });
    expect(await registry.getSingleMetricAsString('flaglens_llm_tokens_total')).toContain(
      'variant="local",model="llama-3-8b",mode="served",type="input"} 1200',
    );
    expect(await registry.getSingleMetricAsString('flaglens_llm_cost_usd_total')).not.toContain('variant="local"');
  });

  it('still counts the tokens a call reported before it failed', async () => {
    const { flaglens, registry } = setup();
    const failing = flaglens.routeInference({
      flag: 'assistant',
      context: { targetingKey: 'u4' },
      operation: 'chat',
      models: {
        small: (_variant, report) => {
          report.reportUsage({ inputTokens: 500, outputTokens: 40 });
          throw new SyntaxError('model returned invalid JSON');
        },
      },
    });
    await expect(failing).rejects.toThrow(SyntaxError);
    expect(await registry.getSingleMetricAsString('flaglens_llm_tokens_total')).toContain('type="output"} 40');
  });

  it('ignores malformed prices instead of guessing', () => {
    expect(priceOf({ price: { inputPerMillion: 1 } }, 'x')).toBeUndefined();
    expect(priceOf({ price: { inputPerMillion: -1, outputPerMillion: 2 } }, 'x')).toBeUndefined();
    expect(priceOf('gpt-4o', 'gpt-4o')).toBeUndefined();
    expect(priceOf({ prices: { a: { inputPerMillion: 1, outputPerMillion: 2 } } }, 'a')).toEqual({
      inputPerMillion: 1,
      outputPerMillion: 2,
    });
  });
});

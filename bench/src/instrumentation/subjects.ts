import { FlagEvaluator } from '@flaglens/evaluator';
import { FlaglensProvider } from '@flaglens/evaluator/openfeature';
import { evaluationHook } from '@flaglens/instrumentation';
import { SpanEventHook } from '@openfeature/open-telemetry-hooks';
import { type Client, type EvaluationContext, OpenFeature } from '@openfeature/server-sdk';
import { context, trace } from '@opentelemetry/api';
import { type Bench, flagSet } from './setup.js';

/** One way of doing a job: `run(n)` does it n times and returns a checksum so nothing is optimised away. */
export interface Subject {
  readonly name: string;
  readonly run: (n: number) => Promise<number> | number;
}

interface Output {
  readonly label: string;
  readonly score: number;
}

// A model as cheap as a model can be, so what is timed is the instrumentation around it.
const model = (input: string): Output => ({ label: input.length > 3 ? 'spam' : 'ham', score: 0.93 });
const describe = (o: Output) => ({ class: o.label, score: o.score });
const user = { targetingKey: 'user-42' };
const spanAttributes = { 'service.op': 'classify', 'model.kind': 'logreg', 'request.size': 512, 'tenant.tier': 'pro' };

/** A bare model call vs the same call through routeInference, and the library floor that routeInference is judged against. */
export function inferenceSubjects(bench: Bench): Subject[] {
  // Built per call, as a handler does, since the model calls close over the request's input.
  const route = (input: string, described: boolean) =>
    bench.telemetry.routeInference({
      flag: 'ai-model',
      context: user,
      operation: 'classify',
      models: { control: () => model(input), candidate: () => model(input) },
      ...(described ? { describe } : {}),
    });
  return [
    {
      name: 'bare model call (awaited)',
      run: async (n) => {
        let x = 0;
        for (let i = 0; i < n; i++) x += (await model('hello')).score;
        return x;
      },
    },
    {
      name: 'floor: plain span + histogram.observe (2 labels)',
      run: async (n) => {
        let x = 0;
        for (let i = 0; i < n; i++) {
          const output = await bench.plainTracer.startActiveSpan('classify', { attributes: spanAttributes }, async (span) => {
            const started = performance.now();
            const out = await model('hello');
            bench.floorHistogram.observe({ flag: 'ai-model', variant: 'control' }, (performance.now() - started) / 1000);
            span.end();
            return out;
          });
          x += output.score;
        }
        return x;
      },
    },
    {
      name: 'routeInference (span + latency), assignment bound',
      run: (n) =>
        context.with(bench.assigned, async () => {
          let x = 0;
          for (let i = 0; i < n; i++) x += (await route('hello', false)).output.score;
          return x;
        }),
    },
    {
      name: '+ describe (score, class, outcome store)',
      run: (n) =>
        context.with(bench.assigned, async () => {
          let x = 0;
          for (let i = 0; i < n; i++) x += (await route('hello', true)).output.score;
          return x;
        }),
    },
    {
      name: 'routeInference (span + latency), flag evaluated',
      run: async (n) => {
        let x = 0;
        for (let i = 0; i < n; i++) x += (await route('hello', false)).output.score;
        return x;
      },
    },
  ];
}

/** A plain span through a BatchSpanProcessor vs the same span with FlagSpanProcessor in front, in a context with an assignment. */
export function spanSubjects(bench: Bench): Subject[] {
  const job = (tracer: Bench['plainTracer']) => (n: number) => {
    for (let i = 0; i < n; i++) tracer.startSpan('work', { attributes: spanAttributes }, bench.assigned).end();
    return n;
  };
  return [
    { name: 'plain span (4 attributes, BatchSpanProcessor)', run: job(bench.plainTracer) },
    { name: 'same span through FlagSpanProcessor', run: job(bench.flagTracer) },
  ];
}

/**
 * One OpenFeature evaluation inside a span: no hook, `@openfeature/open-telemetry-hooks`' SpanEventHook
 * (a `feature_flag.evaluation` event on the active span), and flaglens' evaluationHook (the same event
 * plus `flaglens_flag_evaluations_total`). Each evaluation gets a fresh span, so no span hits its event limit.
 */
export async function openFeatureSubjects(bench: Bench): Promise<Subject[]> {
  const clientFor = async (domain: string, hook?: Parameters<Client['addHooks']>[0]): Promise<Client> => {
    await OpenFeature.setProviderAndWait(domain, new FlaglensProvider(new FlagEvaluator(flagSet)));
    const client = OpenFeature.getClient(domain);
    if (hook) client.addHooks(hook);
    return client;
  };
  const job = (client: Client) => async (n: number) => {
    let x = 0;
    const evaluationContext: EvaluationContext = user;
    for (let i = 0; i < n; i++) {
      const span = bench.flagTracer.startSpan('request', undefined, bench.assigned);
      const value = await context.with(trace.setSpan(bench.assigned, span), () => client.getObjectValue('ai-model', {}, evaluationContext));
      span.end();
      x += typeof value === 'object' ? 1 : 0;
    }
    return x;
  };
  return [
    { name: 'OpenFeature evaluation, no hook', run: job(await clientFor('none')) },
    { name: '+ open-telemetry-hooks SpanEventHook', run: job(await clientFor('otel', new SpanEventHook())) },
    {
      name: '+ flaglens evaluationHook (event + counter)',
      run: job(
        await clientFor(
          'flaglens',
          evaluationHook(() => bench.telemetry),
        ),
      ),
    },
  ];
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlagEvaluator } from '@flaglens/evaluator';
import { describe, expect, it } from 'vitest';
import { flagSet } from '../test/flags.js';
import { flagsFromEnv } from './flags-from-env.js';
import { sliceLabelsFromEnv } from './slices-from-env.js';
import { traceExportFromEnv } from './trace-export.js';

describe('traceExportFromEnv', () => {
  it('exports nothing when no variable asks for it', () => {
    expect(traceExportFromEnv({})).toMatchObject({ processors: [], description: expect.stringContaining('trace export off') });
  });

  it('exports OTLP over http/protobuf, the OpenTelemetry default protocol, once an endpoint is set', () => {
    const exported = traceExportFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
    expect(exported.processors).toHaveLength(1);
    expect(exported.description).toBe('traces → otlp http/protobuf');
  });

  it('honours OTEL_TRACES_EXPORTER=none even with an endpoint', () => {
    expect(traceExportFromEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' }).processors).toEqual([]);
  });

  it('says so when asked for a protocol it does not bundle', () => {
    const exported = traceExportFromEnv({ OTEL_TRACES_EXPORTER: 'otlp,console', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(exported.processors).toHaveLength(1);
    expect(exported.description).toBe('traces → otlp grpc unsupported (use http/protobuf or http/json), console');
  });
});

describe('flagsFromEnv', () => {
  it('reads outcome slice labels from FLAGLENS_SLICE_LABELS, and reports a bad list instead of failing', () => {
    expect(sliceLabelsFromEnv({ FLAGLENS_SLICE_LABELS: ' region, plan ' })).toEqual({
      sliceLabels: ['region', 'plan'],
      description: 'outcomes sliced by region, plan',
    });
    expect(sliceLabelsFromEnv({})).toEqual({ sliceLabels: [], description: undefined });
    expect(sliceLabelsFromEnv({ FLAGLENS_SLICE_LABELS: 'region,variant' })).toEqual({
      sliceLabels: [],
      description: 'FLAGLENS_SLICE_LABELS ignored (slice label "variant" is reserved by flaglens)',
    });
  });

  it('loads the flag file named by FLAGLENS_FLAGS_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flaglens-')), 'flags.json');
    writeFileSync(file, JSON.stringify(flagSet));
    const flags = flagsFromEnv({ FLAGLENS_FLAGS_FILE: file });
    expect(flags.description).toBe(`2 flags from ${file}`);
    expect(flags.flags).toBeInstanceOf(FlagEvaluator);
    expect((flags.flags as FlagEvaluator).evaluate('ai-model', { plan: 'beta', targetingKey: 'u' }, {}).variant).toBe('candidate');
  });

  it('starts with no flags, and says why, when the file is invalid', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flaglens-')), 'flags.json');
    writeFileSync(file, '{"flags": {"x": {"type": "nope"}}}');
    const flags = flagsFromEnv({ FLAGLENS_FLAGS_FILE: file });
    expect(flags.description).toMatch(/^no flags: cannot load .*flags\.json \(.+\); every flag serves its default$/);
    expect((flags.flags as FlagEvaluator).evaluate('x', {}, 'default').value).toBe('default');
  });
});

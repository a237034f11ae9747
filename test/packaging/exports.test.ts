import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Files `npm pack` would publish for a workspace. */
function packedFiles(workspace: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '-w', workspace], { cwd: root, encoding: 'utf8' });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return (pack?.files ?? []).map((file) => file.path);
}

describe('@flaglens/instrumentation as a consumer sees it', () => {
  it('publishes its main and register entry points, and no tests or test helpers', () => {
    const files = packedFiles('@flaglens/instrumentation');
    for (const entry of ['index', 'register']) {
      expect(files).toContain(`dist/${entry}.js`);
      expect(files).toContain(`dist/${entry}.d.ts`);
    }
    expect(files.filter((file) => file.includes('.test.') || file.includes('dist/test/'))).toEqual([]);
    expect(files).toContain('README.md');
  });

  it('imports through its package name without starting anything', async () => {
    const instrumentation = await import('@flaglens/instrumentation');
    expect(typeof instrumentation.start).toBe('function');
    expect(typeof instrumentation.routeInference).toBe('function');
    expect(instrumentation.MetricName).toBeDefined();
  });
});

describe('@flaglens/evaluator as a consumer sees it', () => {
  it('publishes every entry point its exports map names, and no tests', () => {
    const files = packedFiles('@flaglens/evaluator');
    for (const entry of ['index', 'openfeature/index', 'flagd/index', 'testing/index']) {
      expect(files).toContain(`dist/${entry}.js`);
      expect(files).toContain(`dist/${entry}.d.ts`);
    }
    expect(files.filter((file) => file.includes('.test.'))).toEqual([]);
    expect(files).toContain('README.md');
  });

  it('each public entry point imports and works through its package name', async () => {
    const { FlagEvaluator } = await import('@flaglens/evaluator');
    const { FlaglensProvider } = await import('@flaglens/evaluator/openfeature');
    const { importFlagd } = await import('@flaglens/evaluator/flagd');
    const { pinVariants } = await import('@flaglens/evaluator/testing');

    const definition = {
      flags: { 'ai-model': { type: 'string' as const, variants: { v1: 'small', v2: 'large' }, fallthrough: { variant: 'v1' } } },
    };
    const evaluator = new FlagEvaluator(pinVariants(definition, { 'ai-model': 'v2' }));
    expect(evaluator.evaluate('ai-model', {}, 'none').value).toBe('large');
    expect(new FlaglensProvider(evaluator).metadata.name).toBe('flaglens');
    const imported = importFlagd({ flags: { f: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' } } });
    expect(new FlagEvaluator(imported).evaluate('f', {}, false).value).toBe(true);
  });
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

  it('exports the receivers’ signature check on its own entry point', async () => {
    const { signWebhook, verifyWebhookSignature } = await import('@flaglens/instrumentation/webhooks');
    const header = signWebhook('whsec_x', '{}', Math.floor(Date.now() / 1000));
    expect(verifyWebhookSignature('whsec_x', header, '{}')).toBe(true);
    expect(packedFiles('@flaglens/instrumentation')).toContain('dist/webhooks/signature.js');
  });
});

/** Every module a file reaches through relative imports, with the bare specifiers they import. */
function importGraph(entry: string): { files: string[]; bare: Set<string> } {
  const files: string[] = [];
  const bare = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.includes(file)) continue;
    files.push(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*['"]([^'"]+)['"]/g)) {
      if (specifier?.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else if (specifier) bare.add(specifier);
    }
  }
  return { files, bare };
}

describe('@flaglens/evaluator as a consumer sees it', () => {
  it('resolves to a browser-safe entry under the "browser" condition', () => {
    const evaluatorDir = join(root, 'packages', 'evaluator');
    const manifest = JSON.parse(readFileSync(join(evaluatorDir, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
    };
    const browserEntry = manifest.exports['.']?.browser;
    expect(browserEntry).toBeDefined();
    const { files, bare } = importGraph(join(evaluatorDir, browserEntry as string));
    expect(files.length).toBeGreaterThan(10);
    expect([...bare].filter((specifier) => specifier.startsWith('node:') || specifier === 'eventsource-parser')).toEqual([]);
  });

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

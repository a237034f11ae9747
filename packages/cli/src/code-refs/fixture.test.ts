import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../program.js';
import { captureIo } from '../test-io.js';
import { sourceFiles } from './walk.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/code-refs', import.meta.url));

// Build outputs, dependencies and ignored folders cannot be committed (Git ignores them), so the test
// writes them into a copy of the fixture; each holds a reference that must not be found.
const SKIPPED_FILES = {
  'node_modules/some-lib/index.js': "flags.evaluate('dependency-flag', {}, 1);",
  'dist/service.js': "flags.evaluate('dist-flag', {}, 1);",
  '.next-cli/server/app.js': "flags.evaluate('next-build-flag', {}, 1);",
  'build/out.mjs': "flags.evaluate('build-flag', {}, 1);",
  'generated/client.ts': "flags.evaluate('gitignored-flag', {}, 1);",
};

const EXPECTED = [
  { flag: 'new-checkout', file: 'src/components/Checkout.tsx', line: 6, column: 48, kind: 'getBooleanValue' },
  { flag: 'greeting-copy', file: 'src/components/copy.jsx', line: 2, column: 48, kind: 'getStringValue' },
  { flag: 'layout-config', file: 'src/components/copy.jsx', line: 4, column: 49, kind: 'getObjectDetails' },
  { flag: 'ai-model', file: 'src/renamed.mts', line: 4, column: 24, kind: 'routingFlags' },
  { flag: 'search-ranker', file: 'src/renamed.mts', line: 4, column: 36, kind: 'routingFlags' },
  { flag: 'result-limit', file: 'src/renamed.mts', line: 7, column: 29, kind: 'evaluateFlag' },
  { flag: 'search-ranker', file: 'src/renamed.mts', line: 8, column: 38, kind: 'routeInference' },
  { flag: 'search-ranker', file: 'src/renamed.mts', line: 9, column: 25, kind: 'recordOutcome' },
  { flag: 'ai-model', file: 'src/service.ts', line: 12, column: 32, kind: 'evaluate' },
  { flag: 'risk-model', file: 'src/service.ts', line: 15, column: 11, kind: 'routeInference' },
];

describe('code-refs on the fixture tree', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'flaglens-code-refs-'));
    cpSync(FIXTURE, root, { recursive: true });
    for (const [file, text] of Object.entries(SKIPPED_FILES)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('walks source files only, skipping dependencies, build outputs, .gitignore entries and declarations', async () => {
    expect(await sourceFiles(root)).toEqual([
      'scripts/browser-check.js',
      'src/components/Checkout.tsx',
      'src/components/copy.jsx',
      'src/renamed.mts',
      'src/service.ts',
    ]);
  });

  it('finds exactly the keys passed to flaglens and OpenFeature, nothing in comments, strings, variables or JSX text', async () => {
    const { io, stdout } = captureIo();
    expect(await runCli(['code-refs', root, '--json'], io)).toBe(0);
    expect(JSON.parse(stdout()).refs).toEqual(EXPECTED);
  });

  it('compares with a flag set file: keys used but not defined, flags defined but never referenced', async () => {
    const flagsFile = join(root, 'flags.json');
    const flag = { type: 'boolean', variants: { on: true, off: false }, fallthrough: { variant: 'on' } };
    writeFileSync(
      flagsFile,
      JSON.stringify({ environment: 'staging', flags: { 'ai-model': flag, 'new-checkout': flag, 'old-banner': flag } }),
    );
    const { io, stdout } = captureIo();
    expect(await runCli(['code-refs', root, '--flags', flagsFile, '--json', '--exit-code'], io)).toBe(1);
    const report = JSON.parse(stdout());
    expect(report.environment).toBe('staging');
    expect(report.undefinedFlags.map((entry: { flag: string }) => entry.flag)).toEqual([
      'greeting-copy',
      'layout-config',
      'result-limit',
      'risk-model',
      'search-ranker',
    ]);
    expect(report.unreferencedFlags).toEqual(['old-banner']);
  });
});

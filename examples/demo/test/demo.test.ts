import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDemoArgs, UsageError } from '../src/args.js';
import { banner } from '../src/banner.js';
import { createLog } from '../src/log.js';
import { demoFlag, demoRollout, demoRules } from '../src/seed.js';
import { readState, stateFile, writeState } from '../src/state.js';

describe('parseDemoArgs', () => {
  it('defaults to the healthy scenario on the documented ports, in .flaglens-demo', () => {
    expect(parseDemoArgs([], '/work')).toEqual({
      scenario: 'healthy',
      ports: { plane: 3000, service: 3001, receiver: 3002 },
      dir: '/work/.flaglens-demo',
      fresh: false,
      rate: 20,
      duration: '1h',
      regressAfter: '45s',
      hold: '30s',
    });
  });

  it('refuses a mistake naming the option, the traffic options as the traffic generator does', () => {
    const refusal = (arg: string) => {
      try {
        parseDemoArgs([arg]);
      } catch (error) {
        return error instanceof UsageError ? error.message : error;
      }
    };
    const args = ['--port=70000', '--port=3001', '--hold=soon', '--rate=0', '--scenario=meltdown', '--verbose'];
    expect(args.map(refusal)).toEqual([
      expect.stringContaining('--port must be a port number'),
      expect.stringContaining('must differ'),
      expect.stringContaining('--hold must be a duration'),
      expect.stringContaining('--rate must be a number above 0'),
      expect.stringContaining('--scenario must be one of'),
      expect.stringContaining("Unknown option '--verbose'"),
    ]);
  });
});

describe('the seed', () => {
  it('starts the flag over on v1, with the rollout plan 10 → 25 → 50 → 100%', () => {
    expect(demoFlag()).toMatchObject({ enabled: true, offVariant: 'v1', fallthrough: { variant: 'v1' } });
    const plan = demoRollout('30s') as { stages: { weight: number; hold: string }[] };
    expect(plan.stages.map((s) => s.weight)).toEqual([1_000, 2_500, 5_000, 10_000]);
    expect(plan.stages.every((s) => s.hold === '30s')).toBe(true);
  });

  it('has rules on latency, accuracy and errors against control that roll back and page the channel', () => {
    const rules = demoRules('wh_1') as { figure: { kind: string }; action: string; channels: string[]; comparison: { type: string } }[];
    expect(rules.map((r) => r.figure.kind)).toEqual(['latency', 'accuracy', 'errorRate']);
    for (const rule of rules) expect(rule).toMatchObject({ action: 'rollback', channels: ['wh_1'], comparison: { type: 'relative' } });
  });
});

describe('the demo state', () => {
  it('is written readable by its owner only, even over a wider file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flaglens-demo-state-'));
    try {
      writeFileSync(stateFile(dir), '{}', { mode: 0o644 });
      writeState(dir, { adminToken: 'fl_admin_x', sdkKey: 'fl_sdk_y' });
      expect(statSync(stateFile(dir)).mode & 0o777).toBe(0o600);
      expect(readState(dir)).toEqual({ adminToken: 'fl_admin_x', sdkKey: 'fl_sdk_y' });
      writeFileSync(stateFile(dir), 'not json');
      expect(() => readState(dir)).toThrow('--fresh');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the log and the banner', () => {
  it('prefixes every line with the time and the part', () => {
    const lines: string[] = [];
    createLog((text) => lines.push(text), false)('service', 'listening');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d service {2}│ listening\n$/);
  });

  it('shows the dashboard, the token and what the scenario will do', () => {
    const options = parseDemoArgs(['--scenario=accuracy-regression'], '/w');
    if (!options) throw new Error('no options');
    const box = banner(options, 'http://127.0.0.1:3000', 'fl_admin_abc', '/w/.flaglens-demo/demo-state.json');
    expect(box).toContain('sign in with fl_admin_abc');
    expect(box).toContain('http://127.0.0.1:3000/flags/risk-model/compare');
    expect(box).toContain('after 45s v2 regresses (accuracy-regression)');
    const widths = new Set(box.split('\n').map((line) => line.length));
    expect(widths.size).toBe(1);
  });
});

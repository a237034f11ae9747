import { describe, expect, it } from 'vitest';
import { CliError } from '../exit.js';
import { formatOfPath, parseFlagsetFile, serialize } from './formats.js';
import { renderPlan } from './render.js';
import type { FlagsetFile, PlanStep } from './types.js';

const file: FlagsetFile = {
  environment: 'production',
  flags: { 'ai-model': { type: 'string', variants: { v1: 'a', v2: 'b' }, enabled: true, fallthrough: { variant: 'v1' } } },
  segments: {},
  versions: { 'ai-model': 3 },
  segmentVersions: {},
};

describe('flag set files', () => {
  it('chooses the format from the file name', () => {
    expect(['f.yaml', 'f.YML', 'f.flagd.json', 'f.json', '-'].map(formatOfPath)).toEqual(['yaml', 'yaml', 'flagd', 'json', 'json']);
  });

  it.each(['json', 'yaml', 'flagd'] as const)('reads back what it writes as %s', (format) => {
    const back = parseFlagsetFile(serialize(file, format), format, `flags.${format}`);
    expect(back.flags['ai-model']).toEqual(file.flags['ai-model']);
    expect(back.versions).toEqual(file.versions);
  });

  it.each(['json', 'yaml'] as const)('reads back segments and their versions as %s', (format) => {
    const withSegments = { ...file, segments: { beta: { when: [], include: ['u-1'] } }, segmentVersions: { beta: 4 } };
    const back = parseFlagsetFile(serialize(withSegments, format), format, `flags.${format}`);
    expect(back.segments).toEqual(withSegments.segments);
    expect(back.segmentVersions).toEqual(withSegments.segmentVersions);
  });

  it('recognises a flagd document by its content, whatever its name', () => {
    expect(parseFlagsetFile(serialize(file, 'flagd'), 'json', 'flags.json').flags['ai-model']).toEqual(file.flags['ai-model']);
  });

  it('says what is wrong with a file that is not a flag set', () => {
    expect(() => parseFlagsetFile('{', 'json', 'a.json')).toThrow(/a.json is not valid JSON/);
    expect(() => parseFlagsetFile('a: [', 'yaml', 'a.yaml')).toThrow(/a.yaml is not valid YAML/);
    expect(() => parseFlagsetFile('a: 1\na: 2\n', 'yaml', 'a.yaml')).toThrow(/not valid YAML: Map keys must be unique/);
    expect(() => parseFlagsetFile('{"flag": {}}', 'json', 'a.json')).toThrow(/a.json has no "flags" object/);
  });

  it('refuses a YAML alias bomb with a CliError instead of expanding it', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, previous] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
    ])
      rows.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    rows.push(`flags: [${Array(9).fill('*d').join(', ')}]`);
    expect(() => parseFlagsetFile(rows.join('\n'), 'yaml', 'bomb.yaml')).toThrow(
      new CliError('bomb.yaml is not valid YAML: Excessive alias count indicates a resource exhaustion attack'),
    );
  });

  it('reads YAML as the JSON-compatible 1.2 core schema even under a %YAML 1.1 directive: on/off stay variant names', () => {
    const text = '%YAML 1.1\n---\nflags:\n  dark:\n    type: boolean\n    variants: { on: true, off: false }\n    note: 2024-01-01\n';
    expect(parseFlagsetFile(text, 'yaml', 'old.yaml').flags.dark).toEqual({
      type: 'boolean',
      variants: { on: true, off: false },
      note: '2024-01-01',
    });
  });
});

describe('renderPlan', () => {
  it('shows segment changes before the flags, with their own count', () => {
    const flags: PlanStep[] = [{ key: 'a', action: 'unchanged', baseVersion: 1, currentVersion: 1, diff: [] }];
    const segments: PlanStep[] = [
      { key: 'beta', action: 'update', baseVersion: 1, currentVersion: 1, diff: [{ path: 'include[0]', after: 'u-1' }] },
      { key: 'pro', action: 'create', baseVersion: null, currentVersion: null, diff: [] },
    ];
    expect(renderPlan(flags, segments)).toBe(
      [
        '~ segment beta (update, version 1)',
        '    include[0]: + "u-1"',
        '+ segment pro (create, new)',
        '0 to create, 0 to update, 0 to delete, 1 unchanged',
        'segments: 1 to create, 1 to update, 0 to delete, 0 unchanged',
        '',
      ].join('\n'),
    );
  });

  it('shows each change with its path and a count per action', () => {
    expect(
      renderPlan([
        {
          key: 'a',
          action: 'update',
          baseVersion: 2,
          currentVersion: 2,
          diff: [
            { path: 'enabled', before: true, after: false },
            { path: 'rules[0]', after: { id: 'x' } },
          ],
        },
        { key: 'b', action: 'create', baseVersion: null, currentVersion: null, diff: [{ path: 'type', after: 'string' }] },
        { key: 'c', action: 'delete', baseVersion: 1, currentVersion: 1, diff: [] },
        { key: 'd', action: 'unchanged', baseVersion: 1, currentVersion: 1, diff: [] },
      ]),
    ).toBe(
      [
        '~ a (update, version 2)',
        '    enabled: true → false',
        '    rules[0]: + {"id":"x"}',
        '+ b (create, new)',
        '- c (delete, version 1)',
        '1 to create, 1 to update, 1 to delete, 1 unchanged',
        '',
      ].join('\n'),
    );
  });
});

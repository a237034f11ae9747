import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { actorsWords, actorWords } from './Actor';
import { AuditHistory } from './AuditHistory';

describe('actorWords', () => {
  it.each([
    [{ id: 'rollout:ranker', name: 'rollout:ranker' }, 'the rollout controller'],
    [{ id: 'alert:r1', name: 'alert:p95 latency' }, 'the alert rule “p95 latency”'],
    [{ id: 'u-7', name: 'ana@example.com' }, 'ana@example.com'],
    // The flag list keeps only the name; the prefix still says what wrote it.
    [{ name: 'rollout:quiet-model' }, 'the rollout controller'],
    [{ name: 'alert:error rate' }, 'the alert rule “error rate”'],
    [{ name: 'bob' }, 'bob'],
  ])('names %o as %s', (actor, words) => {
    expect(actorWords(actor)).toBe(words);
  });

  it('goes by the id when it is known, so a person named like a machine stays a person', () => {
    expect(actorWords({ id: 'u-1', name: 'rollout:prank' })).toBe('rollout:prank');
  });
});

describe('actorsWords', () => {
  it('names each actor once, joining the last with “and”', () => {
    const ana = { id: 'u-1', name: 'ana' };
    expect(actorsWords([ana])).toBe('ana');
    expect(actorsWords([ana, { id: 'rollout:r', name: 'rollout:r' }, ana])).toBe('ana and the rollout controller');
    expect(actorsWords([ana, { id: 'u-2', name: 'bo' }, { id: 'alert:a', name: 'alert:errors' }])).toBe(
      'ana, bo and the alert rule “errors”',
    );
  });
});

describe('the history', () => {
  it('says who in words and keeps the raw actor name in the title', () => {
    const html = renderToStaticMarkup(
      createElement(AuditHistory, {
        entries: [
          {
            id: '1',
            at: '2026-11-25T20:00:00.000Z',
            actor: { id: 'rollout:quiet-model', name: 'rollout:quiet-model' },
            action: 'flag.update',
            version: 2,
            note: null,
            before: null,
            after: null,
            changes: [],
          },
        ],
      }),
    );
    expect(html).toContain('by <span data-actor="rollout:quiet-model" title="rollout:quiet-model">the rollout controller</span>');
  });
});

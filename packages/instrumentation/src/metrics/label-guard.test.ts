import { describe, expect, it } from 'vitest';
import { LabelGuard, OTHER_LABEL_VALUE } from './label-guard.js';

describe('LabelGuard', () => {
  it('accepts allow-listed values and learns others up to the cap', () => {
    const guard = new LabelGuard({ class: { allow: ['spam', 'ham'], cap: 1 } });
    expect(guard.value('class', 'spam')).toBe('spam');
    expect(guard.value('class', 'phishing')).toBe('phishing');
    expect(guard.value('class', 'scam')).toBe(OTHER_LABEL_VALUE);
    expect(guard.value('class', 'phishing')).toBe('phishing');
    expect(guard.value('class', 'ham')).toBe('ham');
  });

  it('turns values that look like free text or identifiers into __other__ whatever the cap', () => {
    const guard = new LabelGuard({}, { defaultCap: 1000 });
    expect(guard.value('class', 'two words')).toBe(OTHER_LABEL_VALUE);
    expect(guard.value('class', 'x'.repeat(65))).toBe(OTHER_LABEL_VALUE);
    expect(guard.value('class', '')).toBe(OTHER_LABEL_VALUE);
    expect(guard.value('class', 'label="injected"')).toBe(OTHER_LABEL_VALUE);
  });

  it('accepts values allowed at run time even past the cap', () => {
    const guard = new LabelGuard({ variant: { cap: 0 } });
    expect(guard.value('variant', 'v3')).toBe(OTHER_LABEL_VALUE);
    guard.allow('variant', ['v3']);
    expect(guard.value('variant', 'v3')).toBe('v3');
  });

  it('reports each overflow', () => {
    const overflowed: string[] = [];
    const guard = new LabelGuard({ type: { cap: 0 } }, { onOverflow: (label) => overflowed.push(label) });
    guard.value('type', 'TimeoutError');
    expect(overflowed).toEqual(['type']);
  });
});

import type { Condition, Segment } from '@flaglens/evaluator';

const show = (value: unknown) => (typeof value === 'string' ? `“${value}”` : JSON.stringify(value));

/** `plan equals “beta”`, `in segment “beta”`: one condition as people read it. */
export function conditionInWords(condition: Condition): string {
  const value = Array.isArray(condition.value) ? condition.value.map(show).join(', ') : show(condition.value);
  if (condition.op === 'inSegment') return `in segment ${value}`;
  if (condition.op === 'notInSegment') return `not in segment ${value}`;
  return `${condition.attribute ?? ''} ${condition.op} ${value}`;
}

/** Who a segment holds, in one sentence: its conditions (all must hold), then who is always in or out. */
export function segmentInWords(segment: Segment): string {
  const parts: string[] = [];
  if (segment.when.length > 0) parts.push(`users where ${segment.when.map(conditionInWords).join(' and ')}`);
  if (segment.include?.length) parts.push(`always ${segment.include.join(', ')}`);
  // No conditions and nobody listed: the segment matches no one (an empty `when` matches nobody).
  if (parts.length === 0) parts.push('nobody');
  if (segment.exclude?.length) parts.push(`never ${segment.exclude.join(', ')}`);
  return parts.join('; ');
}

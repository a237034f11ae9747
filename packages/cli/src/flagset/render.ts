import type { Change, PlanStep } from './types.js';

const SIGNS: Record<PlanStep['action'], string> = { create: '+', update: '~', delete: '-', unchanged: ' ' };

// One line per leaf; long values (a whole model config) are cut so a diff stays readable in a CI log.
function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** `path: before → after`, `path: + after` or `path: - before`. */
export function renderChange(change: Change): string {
  if (!('before' in change)) return `${change.path}: + ${show(change.after)}`;
  if (!('after' in change)) return `${change.path}: - ${show(change.before)}`;
  return `${change.path}: ${show(change.before)} → ${show(change.after)}`;
}

function versionNote(step: PlanStep): string {
  if (step.action === 'create') return 'new';
  return `version ${step.currentVersion}`;
}

// One block per changed entry: its sign, what it is, and its leaf changes when updated.
function changedLines(plan: readonly PlanStep[], label: string): string[] {
  const lines: string[] = [];
  for (const step of plan) {
    if (step.action === 'unchanged') continue;
    lines.push(`${SIGNS[step.action]} ${label}${step.key} (${step.action}, ${versionNote(step)})`);
    // A create or delete would list every leaf; the key says it all.
    if (step.action === 'update') for (const change of step.diff) lines.push(`    ${renderChange(change)}`);
  }
  return lines;
}

function counts(plan: readonly PlanStep[]): string {
  const count = (action: PlanStep['action']) => plan.filter((step) => step.action === action).length;
  return `${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('unchanged')} unchanged`;
}

/**
 * The plan as people read it: one block per changed segment (`segment beta`) and flag, then a count of
 * each action; the segments' count only when the file has segments.
 */
export function renderPlan(plan: readonly PlanStep[], segments: readonly PlanStep[] = []): string {
  const lines = [...changedLines(segments, 'segment '), ...changedLines(plan, ''), counts(plan)];
  if (segments.length > 0) lines.push(`segments: ${counts(segments)}`);
  return `${lines.join('\n')}\n`;
}

/** Whether applying the plan changes anything. */
export const hasChanges = (...plans: (readonly PlanStep[])[]) => plans.some((plan) => plan.some((step) => step.action !== 'unchanged'));

import type { Flag, Segment } from '@flaglens/evaluator';
import { type Change, diffJson } from '../audit/diff';
import { withoutVersion } from '../audit/log';
import { type FlagMetadata, metadataOf } from '../flags/metadata';
import type { StoredFlag } from '../flags/store';
import type { StoredSegment } from '../segments/store';

/** A flag as a file wants it: its validated definition and its key's owner, tags and kind. */
export interface DesiredFlag {
  flag: Flag;
  metadata: FlagMetadata;
}

export type PlanAction = 'create' | 'update' | 'delete' | 'unchanged';

/** What apply does, or would do, to one flag or segment. */
export interface PlanStep {
  key: string;
  action: PlanAction;
  /** The version the file was exported at (`versions[key]`); null when the file never saw the flag. */
  baseVersion: number | null;
  /** The stored version now; null when the flag does not exist. */
  currentVersion: number | null;
  /** Stored → file, leaf by leaf (`rules[0].serve.variant`); empty when unchanged. */
  diff: Change[];
}

// Every write bumps the version; the plan compares what a flag serves and what is known about it.
const content = (flag: Flag, metadata: FlagMetadata) => ({ ...(withoutVersion(flag) as object), ...metadata });

/**
 * The steps that turn the stored flags into the file's, by key: every flag of the file, and with `prune`
 * every stored flag the file leaves out (deleted).
 */
export function planApply(
  stored: readonly StoredFlag[],
  desired: Record<string, DesiredFlag>,
  versions: Record<string, number>,
  prune: boolean,
): PlanStep[] {
  const current = new Map(stored.map((entry) => [entry.key, { version: entry.version, content: content(entry.flag, metadataOf(entry)) }]));
  const wanted = Object.fromEntries(Object.entries(desired).map(([key, entry]) => [key, content(entry.flag, entry.metadata)]));
  return planSteps(current, wanted, versions, prune);
}

/** The same for segments: every segment of the file, and with `prune` every stored one it leaves out. */
export function planSegments(
  stored: readonly StoredSegment[],
  desired: Record<string, Segment>,
  versions: Record<string, number>,
  prune: boolean,
): PlanStep[] {
  return planSteps(
    new Map(stored.map((entry) => [entry.key, { version: entry.version, content: entry.segment }])),
    desired,
    versions,
    prune,
  );
}

function planSteps(
  current: Map<string, { version: number; content: unknown }>,
  desired: Record<string, unknown>,
  versions: Record<string, number>,
  prune: boolean,
): PlanStep[] {
  const keys = [...new Set([...Object.keys(desired), ...(prune ? current.keys() : [])])].sort();
  return keys.flatMap((key): PlanStep[] => {
    const before = current.get(key);
    const after = desired[key];
    if (!before && after === undefined) return [];
    const diff = diffJson(before ? before.content : {}, after ?? {});
    const action: PlanAction = !before ? 'create' : after === undefined ? 'delete' : diff.length > 0 ? 'update' : 'unchanged';
    return [{ key, action, baseVersion: versions[key] ?? null, currentVersion: before?.version ?? null, diff }];
  });
}

/**
 * Steps that would overwrite or delete what the file never saw: a change whose base version is not the
 * stored one (a create's base is "absent"). A flag the file leaves as it is conflicts with nothing.
 */
export function staleSteps(plan: readonly PlanStep[]): PlanStep[] {
  return plan.filter((step) => step.action !== 'unchanged' && step.baseVersion !== step.currentVersion);
}

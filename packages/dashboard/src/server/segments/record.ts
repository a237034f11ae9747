import type { Segment } from '@flaglens/evaluator';
import { appendAudit } from '../audit/log';
import type { Actor } from '../auth/principal';
import type { Queryable } from '../db/database';
import type { FlagChange } from '../stream/feed';
import { lastSegmentVersion, removeSegment, type StoredSegment, writeSegment } from './store';

/** A segment of an environment, and who acts on it. */
export interface SegmentTarget {
  environment: string;
  key: string;
  actor: Actor;
}

/**
 * Writes one segment (`after`), or deletes it (`after` undefined), with its audit entry; the caller has
 * checked that the environment's set still compiles. Returns the change SDK streams must hear of.
 */
export async function recordSegment(
  tx: Queryable,
  target: SegmentTarget & { note?: string },
  before: StoredSegment | undefined,
  after: Segment | undefined,
): Promise<FlagChange> {
  const { environment, key, actor, note } = target;
  if (!after) {
    if (!before) throw new Error(`no segment ${key} to delete`);
    const version = before.version + 1;
    await removeSegment(tx, environment, key);
    await appendAudit(tx, { actor, action: 'segment.delete', environment, segmentKey: key, version, before: before.segment, note });
    return { environment, key, version, action: 'segment.delete' };
  }
  const version = before ? before.version + 1 : (await lastSegmentVersion(tx, environment, key)) + 1;
  await writeSegment(tx, environment, key, after, version, before?.version);
  const action = before ? 'segment.update' : 'segment.create';
  await appendAudit(tx, { actor, action, environment, segmentKey: key, version, before: before?.segment, after, note });
  return { environment, key, version, action };
}

/**
 * Creates copies of `segments` in an environment that has none of those keys (a new environment, or one a
 * new flag is copied into), each a `segment.create` in that environment's trail with `note`.
 */
export async function copySegments(
  tx: Queryable,
  target: Omit<SegmentTarget, 'key'> & { note: string },
  segments: Record<string, Segment>,
): Promise<FlagChange[]> {
  const changes: FlagChange[] = [];
  for (const [key, segment] of Object.entries(segments)) changes.push(await recordSegment(tx, { ...target, key }, undefined, segment));
  return changes;
}

import { compileFlagSet, type Flag } from '@flaglens/evaluator';
import { type AuditEntry, listSegmentAudit } from '../audit/log';
import { type Queryable, sqlState } from '../db/database';
import { announce } from '../flags/service';
import { findFlags, loadSegments } from '../flags/store';
import { conflict, notFound } from '../http/errors';
import type { ControlPlane } from '../plane';
import { recordSegment, type SegmentTarget } from './record';
import { findSegment, findSegments, flagsUsing, type StoredSegment } from './store';

type Plane = Pick<ControlPlane, 'db' | 'feed'>;

/** A segment with the flags that test membership of it, which keep it from being deleted. */
export interface ListedSegment extends StoredSegment {
  usedBy: string[];
}

/**
 * Every flag of the environment, archived ones included: a segment they use must stay, or restoring
 * one would bring back rules that no longer compile.
 */
export async function environmentFlags(db: Queryable, environment: string): Promise<Record<string, Flag>> {
  return Object.fromEntries((await findFlags(db, environment)).map((entry) => [entry.key, entry.flag]));
}

export async function listSegments(plane: Plane, environment: string): Promise<ListedSegment[]> {
  const flags = await environmentFlags(plane.db, environment);
  return (await findSegments(plane.db, environment)).map((stored) => ({ ...stored, usedBy: flagsUsing(flags, stored.key) }));
}

export async function readSegment(plane: Plane, environment: string, key: string): Promise<StoredSegment> {
  const stored = await findSegment(plane.db, environment, key);
  if (!stored) throw notFound(`no segment ${JSON.stringify(key)}`);
  return stored;
}

export async function readSegmentAudit(plane: Plane, environment: string, key: string, limit: number): Promise<AuditEntry[]> {
  const entries = await listSegmentAudit(plane.db, environment, key, limit);
  if (entries.length === 0 && !(await findSegment(plane.db, environment, key))) throw notFound(`no segment ${JSON.stringify(key)}`);
  return entries;
}

/**
 * Creates (`expectedVersion` undefined) or updates (`expectedVersion` = the version the writer saw) a
 * segment, and audits it, in one transaction. The environment's whole set is compiled with it, so a
 * FlagValidationError (400) names the path of whatever it breaks. Any other state is a 409 naming the
 * current version.
 */
export async function putSegment(
  plane: Plane,
  target: SegmentTarget & { input: unknown; expectedVersion: number | undefined },
): Promise<{ created: boolean; stored: StoredSegment }> {
  const { environment, key, expectedVersion } = target;
  try {
    const { change, stored } = await plane.db.transaction(async (tx) => {
      const current = await findSegment(tx, environment, key, true);
      if (current && expectedVersion === undefined) {
        throw conflict('already_exists', `segment ${JSON.stringify(key)} exists; send If-Match with its version to change it`, {
          currentVersion: current.version,
        });
      }
      if (expectedVersion !== undefined && current?.version !== expectedVersion) {
        throw conflict('version_conflict', `segment ${JSON.stringify(key)} changed since version ${expectedVersion}`, {
          currentVersion: current?.version ?? null,
        });
      }
      const segments = { ...(await loadSegments(tx, environment)), [key]: target.input };
      const compiled = compileFlagSet({ flags: await environmentFlags(tx, environment), segments }).definition.segments[key];
      if (!compiled) throw new Error(`compiled set lost segment ${key}`);
      const change = await recordSegment(tx, target, current, compiled);
      return { change, stored: await findSegment(tx, environment, key) };
    });
    if (!stored) throw new Error(`segment ${key} vanished after its write`);
    await announce(plane, change);
    return { created: change.action === 'segment.create', stored };
  } catch (error) {
    // Two creates racing: the loser's insert hits the primary key once the winner commits.
    if (sqlState(error) !== '23505') throw error;
    const winner = await findSegment(plane.db, environment, key);
    throw conflict('already_exists', `segment ${JSON.stringify(key)} was just created by someone else`, {
      currentVersion: winner?.version ?? null,
    });
  }
}

/**
 * Deletes a segment of one environment (segments, unlike flags, live per environment). 409
 * `segment_in_use` names the flags that test membership of it; `expectedVersion`, when given, must be current.
 */
export async function deleteSegment(plane: Plane, target: SegmentTarget & { expectedVersion: number | undefined }): Promise<void> {
  const { environment, key, expectedVersion } = target;
  const change = await plane.db.transaction(async (tx) => {
    // The segment's row first: a flag write that uses it holds it for share (validatedHoldingSegments) until it
    // commits, so once the row is ours the flags read below include every such write; later ones find it gone.
    const current = await findSegment(tx, environment, key, true);
    if (!current) throw notFound(`no segment ${JSON.stringify(key)}`);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw conflict('version_conflict', `segment ${JSON.stringify(key)} changed since version ${expectedVersion}`, {
        currentVersion: current.version,
      });
    }
    const users = flagsUsing(await environmentFlags(tx, environment), key);
    if (users.length > 0) {
      throw conflict(
        'segment_in_use',
        `segment ${JSON.stringify(key)} is used by ${users.map((flag) => JSON.stringify(flag)).join(', ')}; change their rules first`,
        { flags: users },
      );
    }
    return recordSegment(tx, target, current, undefined);
  });
  await announce(plane, change);
}

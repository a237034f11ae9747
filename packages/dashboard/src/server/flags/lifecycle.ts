import { compileFlagSet } from '@flaglens/evaluator';
import { appendAudit } from '../audit/log';
import type { Queryable } from '../db/database';
import { conflict, notFound } from '../http/errors';
import type { ControlPlane } from '../plane';
import { findRollout } from '../rollouts/store';
import { DEFAULT_METADATA, type FlagMetadata } from './metadata';
import { announce, type FlagTarget } from './service';
import { findFlag, loadFlagSet, lockMetadata, type StoredFlag, setArchived, writeMetadata } from './store';

type Plane = Pick<ControlPlane, 'db' | 'feed'>;

/** What an archive or restore did: `changed` is false when the flag already was in that state (nothing written). */
export interface LifecycleResult {
  changed: boolean;
  stored: StoredFlag;
}

/**
 * Replaces the key's owner, tags and kind (fields left out get their defaults) and audits it as
 * `flag.metadata` in the environment the change was made from. SDKs never see metadata, so the flag's
 * version stays and nothing is published; an open editor's If-Match stays valid.
 */
export async function setFlagMetadata(plane: Plane, target: FlagTarget & { metadata: Partial<FlagMetadata> }): Promise<StoredFlag> {
  const { environment, key, actor } = target;
  return plane.db.transaction(async (tx) => {
    const current = await findFlag(tx, environment, key, true);
    if (!current) throw notFound(`no flag ${JSON.stringify(key)}`);
    const before = await lockMetadata(tx, key, actor.name);
    const after = { ...DEFAULT_METADATA, ...target.metadata };
    await writeMetadata(tx, key, after, actor.name);
    await appendAudit(tx, {
      actor,
      action: 'flag.metadata',
      environment,
      flagKey: key,
      version: current.version,
      before,
      after,
    });
    return { ...current, ...after };
  });
}

/**
 * Takes the flag out of the environment's SDK payloads (the flag set and the stream); its definition,
 * version, history, audit trail and comparison data stay. Refused (409 `rollout_running`) while a guarded
 * rollout still moves its traffic.
 */
export function archiveFlag(plane: Plane, target: FlagTarget & { note?: string }): Promise<LifecycleResult> {
  return setArchivedState(plane, target, true, async (tx) => {
    const rollout = await findRollout(tx, target.environment, target.key);
    if (rollout && (rollout.state.status === 'running' || rollout.state.status === 'paused')) {
      throw conflict(
        'rollout_running',
        `flag ${JSON.stringify(target.key)} has a ${rollout.state.status} rollout; abort or finish it first`,
      );
    }
  });
}

/**
 * Serves an archived flag again exactly as it was archived: same definition, same version. Checked against
 * the environment's segments as they are now, so a flag whose segment is gone is refused (400) rather than
 * breaking the set.
 */
export function restoreFlag(plane: Plane, target: FlagTarget & { note?: string }): Promise<LifecycleResult> {
  return setArchivedState(plane, target, false, async (tx, current) => {
    const set = await loadFlagSet(tx, target.environment);
    compileFlagSet({ ...set, flags: { ...set.flags, [target.key]: current.flag } });
  });
}

/**
 * Archives or restores in one transaction with one audit entry, once `allowed` (which throws to refuse) let
 * it; a flag already in that state is left alone. Announced after the commit, like every flag write.
 */
async function setArchivedState(
  plane: Plane,
  target: FlagTarget & { note?: string },
  archived: boolean,
  allowed: (tx: Queryable, current: StoredFlag) => Promise<void>,
): Promise<LifecycleResult> {
  const { environment, key, actor } = target;
  const action = archived ? 'flag.archive' : 'flag.restore';
  const result = await plane.db.transaction(async (tx) => {
    const current = await findFlag(tx, environment, key, true);
    if (!current) throw notFound(`no flag ${JSON.stringify(key)}`);
    if (Boolean(current.archivedAt) === archived) return { changed: false, stored: current };
    await allowed(tx, current);
    const stored = await setArchived(tx, environment, key, archived);
    await appendAudit(tx, {
      actor,
      action,
      environment,
      flagKey: key,
      version: current.version,
      before: { archived: !archived },
      after: { archived },
      note: target.note,
    });
    return { changed: true, stored };
  });
  if (result.changed) await announce(plane, { environment, key, version: result.stored.version, action });
  return result;
}

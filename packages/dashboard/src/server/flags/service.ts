import { createHash } from 'node:crypto';
import { compileFlagSet, type Flag, type FlagSet } from '@flaglens/evaluator';
import { type AuditEntry, appendAudit, listFlagAudit } from '../audit/log';
import type { Actor } from '../auth/principal';
import { sqlState } from '../db/database';
import { conflict, notFound } from '../http/errors';
import type { ControlPlane } from '../plane';
import type { FlagChange } from '../stream/feed';
import { findFlag, insertFlag, lastVersion, loadFlagSet, removeFlag, type StoredFlag, updateFlag } from './store';

type Plane = Pick<ControlPlane, 'db' | 'feed'>;

export interface FlagTarget {
  environment: string;
  key: string;
  actor: Actor;
}

/** The environment's whole set as SDKs receive it, and an entity tag that changes whenever it does. */
export async function readFlagSet(plane: Plane, environment: string): Promise<{ set: FlagSet; etag: string }> {
  const set = await loadFlagSet(plane.db, environment);
  const digest = createHash('sha256').update(JSON.stringify(set)).digest('base64url');
  return { set, etag: `"${digest}"` };
}

export async function readFlag(plane: Plane, environment: string, key: string): Promise<StoredFlag> {
  const stored = await findFlag(plane.db, environment, key);
  if (!stored) throw notFound(`no flag ${JSON.stringify(key)}`);
  return stored;
}

export async function readFlagAudit(plane: Plane, environment: string, key: string, limit: number): Promise<AuditEntry[]> {
  const entries = await listFlagAudit(plane.db, environment, key, limit);
  if (entries.length === 0 && !(await findFlag(plane.db, environment, key))) throw notFound(`no flag ${JSON.stringify(key)}`);
  return entries;
}

// Published after commit; a lost notification must not turn a committed write into an error.
async function announce(plane: Plane, change: FlagChange): Promise<void> {
  await plane.feed.publish(change).catch((error: unknown) => console.error('flaglens: change notification failed', error));
}

/** Compiles the whole would-be set, so a flag is checked against the segments it refers to. */
function validated(set: FlagSet, key: string, input: unknown, version: number): Flag {
  const candidate = typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input, version } : input;
  const compiled = compileFlagSet({ ...set, flags: { ...set.flags, [key]: candidate } });
  const flag = compiled.definition.flags[key];
  if (!flag) throw new Error(`compiled set lost flag ${key}`);
  return flag;
}

/**
 * Creates (`expectedVersion` undefined) or updates (`expectedVersion` = the version the writer saw) a
 * flag, and audits it, in one transaction. Any other state is a 409 naming the current version.
 */
export async function putFlag(
  plane: Plane,
  target: FlagTarget & { input: unknown; expectedVersion: number | undefined },
): Promise<{ created: boolean; stored: StoredFlag }> {
  const { environment, key, actor, expectedVersion } = target;
  try {
    const result = await plane.db.transaction(async (tx) => {
      const current = await findFlag(tx, environment, key, true);
      if (current && expectedVersion === undefined) {
        throw conflict('already_exists', `flag ${JSON.stringify(key)} exists; send If-Match with its version to change it`, {
          currentVersion: current.version,
        });
      }
      if (expectedVersion !== undefined && current?.version !== expectedVersion) {
        throw conflict('version_conflict', `flag ${JSON.stringify(key)} changed since version ${expectedVersion}`, {
          currentVersion: current?.version ?? null,
        });
      }
      const version = current ? current.version + 1 : (await lastVersion(tx, environment, key)) + 1;
      const flag = validated(await loadFlagSet(tx, environment), key, target.input, version);
      const stored = current
        ? await updateFlag(tx, environment, flag, key, current.version, actor.name)
        : await insertFlag(tx, environment, flag, key, actor.name);
      const action = current ? 'flag.update' : 'flag.create';
      await appendAudit(tx, { actor, action, environment, flagKey: key, version, before: current?.flag, after: flag });
      return { created: !current, stored, action } as const;
    });
    await announce(plane, { environment, key, version: result.stored.version, action: result.action });
    return { created: result.created, stored: result.stored };
  } catch (error) {
    // Two creates racing: the loser's insert hits the primary key once the winner commits.
    if (sqlState(error) !== '23505') throw error;
    const winner = await findFlag(plane.db, environment, key);
    throw conflict('already_exists', `flag ${JSON.stringify(key)} was just created by someone else`, {
      currentVersion: winner?.version ?? null,
    });
  }
}

/** Deletes a flag (checking `expectedVersion` when given) and audits it; its version counts on if re-created. */
export async function deleteFlag(plane: Plane, target: FlagTarget & { expectedVersion: number | undefined }): Promise<void> {
  const { environment, key, actor, expectedVersion } = target;
  const version = await plane.db.transaction(async (tx) => {
    const current = await findFlag(tx, environment, key, true);
    if (!current) throw notFound(`no flag ${JSON.stringify(key)}`);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw conflict('version_conflict', `flag ${JSON.stringify(key)} changed since version ${expectedVersion}`, {
        currentVersion: current.version,
      });
    }
    await removeFlag(tx, environment, key);
    await appendAudit(tx, { actor, action: 'flag.delete', environment, flagKey: key, version: current.version + 1, before: current.flag });
    return current.version + 1;
  });
  await announce(plane, { environment, key, version, action: 'flag.delete' });
}

/**
 * The kill switch: turns the flag off so everyone gets its off variant. Needs no If-Match — stopping a
 * bad model must never lose to a stale version — and does nothing to a flag that is already off.
 */
export async function rollbackFlag(
  plane: Plane,
  target: FlagTarget & { reason?: string },
): Promise<{ changed: boolean; stored: StoredFlag }> {
  const { environment, key, actor } = target;
  const result = await plane.db.transaction(async (tx) => {
    const current = await findFlag(tx, environment, key, true);
    if (!current) throw notFound(`no flag ${JSON.stringify(key)}`);
    if (!current.flag.enabled) return { changed: false, stored: current };
    const flag: Flag = { ...current.flag, enabled: false, version: current.version + 1 };
    const stored = await updateFlag(tx, environment, flag, key, current.version, actor.name);
    await appendAudit(tx, {
      actor,
      action: 'flag.rollback',
      environment,
      flagKey: key,
      version: flag.version,
      before: current.flag,
      after: flag,
      note: target.reason,
    });
    return { changed: true, stored };
  });
  if (result.changed) await announce(plane, { environment, key, version: result.stored.version, action: 'flag.rollback' });
  return result;
}

import { createHash } from 'node:crypto';
import { compileFlagSet, type Flag, type FlagSet } from '@flaglens/evaluator';
import { type AuditEntry, appendAudit, listFlagAudit } from '../audit/log';
import type { Actor } from '../auth/principal';
import { type Queryable, sqlState } from '../db/database';
import { lockEnvironments } from '../environments/store';
import { badRequest, conflict, notFound } from '../http/errors';
import type { ControlPlane } from '../plane';
import { copySegments } from '../segments/record';
import { segmentsUsedBy, shareSegments } from '../segments/store';
import type { FlagChange } from '../stream/feed';
import { metadataOf, splitFlagInput } from './metadata';
import {
  findFlag,
  insertFlag,
  lastVersion,
  loadFlagSet,
  loadSegments,
  lockMetadata,
  readMetadata,
  removeFlag,
  type StoredFlag,
  updateFlag,
  writeMetadata,
} from './store';

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
export async function announce(plane: Plane, change: FlagChange): Promise<void> {
  await plane.feed.publish(change).catch((error: unknown) => console.error('flaglens: change notification failed', error));
}

/** Compiles the whole would-be set, so a flag is checked against the segments it refers to. */
export function validated(set: FlagSet, key: string, input: unknown, version: number): Flag {
  const candidate = typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...input, version } : input;
  const compiled = compileFlagSet({ ...set, flags: { ...set.flags, [key]: candidate } });
  const flag = compiled.definition.flags[key];
  if (!flag) throw new Error(`compiled set lost flag ${key}`);
  return flag;
}

/**
 * `validated` against the environment's set as it stands, with the segments the flag uses locked for share
 * until the transaction ends: a segment delete racing the write either commits first, and the write is a
 * 400 naming the rule, or waits for it and then finds the flag using the segment (409 `segment_in_use`).
 */
export async function validatedHoldingSegments(tx: Queryable, environment: string, key: string, input: unknown, version: number) {
  for (;;) {
    const flag = validated(await loadFlagSet(tx, environment), key, input, version);
    const uses = segmentsUsedBy(flag);
    // Fewer rows than keys: a delete committed while we waited for its lock, and the next pass names the rule.
    if ((await shareSegments(tx, environment, uses)).length === uses.length) return flag;
  }
}

// `/flags/new` (the creation page) and `/flags/stale` (the report) would hide a flag of that key.
export const RESERVED_KEYS = ['new', 'stale'];

/**
 * Creates (`expectedVersion` undefined) or updates (`expectedVersion` = the version the writer saw) a
 * flag, and audits it, in one transaction. Any other state is a 409 naming the current version; an
 * archived flag is 409 `flag_archived` until restored. `owner`, `tags` and `kind` beside the definition
 * set the key's metadata (absent ones keep theirs; a new key starts from the defaults).
 */
export async function putFlag(
  plane: Plane,
  target: FlagTarget & { input: unknown; expectedVersion: number | undefined },
): Promise<{ created: boolean; stored: StoredFlag }> {
  const { environment, key, actor, expectedVersion } = target;
  const { definition, metadata } = splitFlagInput(target.input);
  const withMetadata = Object.keys(metadata).length > 0;
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
      if (!current && RESERVED_KEYS.includes(key)) {
        throw badRequest(`${JSON.stringify(key)} cannot be a flag key: /flags/${key} is a page and an endpoint of its own`, {
          path: 'key',
        });
      }
      if (current?.archivedAt) {
        throw conflict('flag_archived', `flag ${JSON.stringify(key)} is archived; restore it before changing it`, {
          currentVersion: current.version,
        });
      }
      const version = current ? current.version + 1 : (await lastVersion(tx, environment, key)) + 1;
      const flag = await validatedHoldingSegments(tx, environment, key, definition, version);
      // The key's, shared by every environment: locked before it changes, as the flag's row covers this one only.
      const before = !current ? await readMetadata(tx, key) : withMetadata ? await lockMetadata(tx, key, actor.name) : metadataOf(current);
      const after = { ...before, ...metadata };
      // Before the row, so the row read back carries it; a new key always writes it, replacing a deleted namesake's.
      if (!current || withMetadata) await writeMetadata(tx, key, after, actor.name);
      const stored = current
        ? await updateFlag(tx, environment, flag, key, current.version, actor.name)
        : await insertFlag(tx, environment, flag, key, actor.name);
      const action = current ? 'flag.update' : 'flag.create';
      await appendAudit(tx, {
        actor,
        action,
        environment,
        flagKey: key,
        version,
        // Metadata sent with the definition shows in the same entry's diff.
        before: current && withMetadata ? { ...current.flag, ...before } : current?.flag,
        after: withMetadata ? { ...flag, ...after } : flag,
      });
      const elsewhere = current ? [] : await createElsewhere(tx, { environment, key, actor }, flag);
      return { created: !current, stored, action, elsewhere } as const;
    });
    await announce(plane, { environment, key, version: result.stored.version, action: result.action });
    for (const change of result.elsewhere) await announce(plane, change);
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

/**
 * A new flag exists in every environment (as in LaunchDarkly): beside the one it was created in, each
 * other environment gets it switched off, so it serves its off variant there until someone turns it on.
 * Segments the flag uses that an environment lacks are copied from the origin first, so the copy's
 * references resolve (a `segment.create` each); those it has are held for share, as any flag write holds
 * them. One `flag.create` entry in each environment's trail. Environments that already hold the key keep
 * theirs. Call inside the creating transaction, with the origin's segments the flag uses held.
 */
export async function createElsewhere(tx: Queryable, origin: FlagTarget, flag: Flag): Promise<FlagChange[]> {
  const { key, actor } = origin;
  const environments = await lockEnvironments(tx);
  const holding = await tx.query<{ environment: string }>('select environment from flags where key = $1', [key]);
  const others = environments
    .map((environment) => environment.key)
    .filter((environment) => environment !== origin.environment && !holding.some((row) => row.environment === environment));
  if (others.length === 0) return [];
  const uses = segmentsUsedBy(flag);
  const originSegments = Object.entries(uses.length === 0 ? {} : await loadSegments(tx, origin.environment));
  // Deleted namesakes: a re-created key counts on from each environment's highest version.
  const history = await tx.query<{ environment: string; version: number }>(
    'select environment, max(version) as version from audit_log where flag_key = $1 and environment = any($2) group by environment',
    [key, others],
  );
  const changes: FlagChange[] = [];
  for (const environment of others) {
    const present = await shareSegments(tx, environment, uses);
    const missing = originSegments.filter(([segment]) => uses.includes(segment) && !present.includes(segment));
    const copied = `copied from ${origin.environment} with the flag ${JSON.stringify(key)} created there`;
    changes.push(...(await copySegments(tx, { environment, actor, note: copied }, Object.fromEntries(missing))));
    const version = (history.find((row) => row.environment === environment)?.version ?? 0) + 1;
    // Only segments can make a flag valid in one environment and not in another; other flags play no part.
    const copy = validated({ flags: {}, segments: await loadSegments(tx, environment) }, key, { ...flag, enabled: false }, version);
    await insertFlag(tx, environment, copy, key, actor.name);
    const note = `created (off) with the flag in ${origin.environment}`;
    await appendAudit(tx, { actor, action: 'flag.create', environment, flagKey: key, version, after: copy, note });
    changes.push({ environment, key, version, action: 'flag.create' });
  }
  return changes;
}

/**
 * Deletes a flag from every environment, as LaunchDarkly does: a flag exists everywhere or nowhere.
 * `expectedVersion`, when given, is checked against the target environment's version. One `flag.delete`
 * entry per environment; its version counts on if the key is re-created.
 */
export async function deleteFlag(plane: Plane, target: FlagTarget & { expectedVersion: number | undefined }): Promise<void> {
  const changes = await plane.db.transaction((tx) => deleteEverywhere(tx, target));
  for (const change of changes) await announce(plane, change);
}

/** `deleteFlag`'s work inside a transaction the caller holds (flag set apply); `note` goes on the target's entry. */
export async function deleteEverywhere(
  tx: Queryable,
  target: FlagTarget & { expectedVersion: number | undefined; note?: string },
): Promise<FlagChange[]> {
  const { environment, key, actor, expectedVersion } = target;
  // Rows locked in one order (the environments'), so deletes started from different environments cannot deadlock.
  const everywhere: { where: string; stored: StoredFlag }[] = [];
  for (const { key: where } of await lockEnvironments(tx)) {
    const stored = await findFlag(tx, where, key, true);
    if (stored) everywhere.push({ where, stored });
  }
  const current = everywhere.find(({ where }) => where === environment)?.stored;
  if (!current) throw notFound(`no flag ${JSON.stringify(key)}`);
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw conflict('version_conflict', `flag ${JSON.stringify(key)} changed since version ${expectedVersion}`, {
      currentVersion: current.version,
    });
  }
  const deleted: FlagChange[] = [];
  for (const { where, stored } of everywhere) {
    await removeFlag(tx, where, key);
    const note = where === environment ? target.note : `deleted with the flag in ${environment}`;
    await appendAudit(tx, {
      actor,
      action: 'flag.delete',
      environment: where,
      flagKey: key,
      version: stored.version + 1,
      before: stored.flag,
      note,
    });
    deleted.push({ environment: where, key, version: stored.version + 1, action: 'flag.delete' });
  }
  return deleted;
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

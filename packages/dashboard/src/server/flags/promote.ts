import { type Change, diffJson } from '../audit/diff';
import { type AuditEntry, appendAudit, withoutVersion } from '../audit/log';
import type { Actor } from '../auth/principal';
import type { Queryable } from '../db/database';
import { type Environment, listEnvironments, nextEnvironment, requireEnvironment } from '../environments/store';
import { badRequest, conflict, notFound } from '../http/errors';
import type { ControlPlane } from '../plane';
import { announce, validatedHoldingSegments } from './service';
import { findFlag, type StoredFlag, updateFlag } from './store';

type Plane = Pick<ControlPlane, 'db' | 'feed'>;

/** A flag, and the environments its configuration goes from and to. */
export interface Promotion {
  key: string;
  from: string;
  to: string;
}

/** What promoting would do: the versions on both sides and every setting of the target that would change. */
export interface PromotionPreview {
  flag: string;
  from: { environment: string; version: number };
  to: { environment: string; version: number };
  /** Target → source, leaf by leaf (`fallthrough.split.arms[1].weight`); empty when they already serve alike. */
  changes: Change[];
}

/**
 * The promotion a request asks for: `from` defaults to `fallbackFrom` (the request's environment), `to`
 * to the environment after `from`. Unknown environments are 404s naming them; from = to is a 400.
 */
export async function resolvePromotion(
  db: Queryable,
  key: string,
  fields: Record<string, unknown>,
  fallbackFrom: string,
): Promise<{ promotion: Promotion; target: Environment }> {
  for (const field of ['from', 'to'] as const) {
    if (fields[field] !== undefined && typeof fields[field] !== 'string') throw badRequest(`${field} must name an environment`, { field });
  }
  const from = (await requireEnvironment(db, (fields.from as string | undefined) ?? fallbackFrom)).key;
  const named = fields.to as string | undefined;
  const target = named === undefined ? nextEnvironment(await listEnvironments(db), from) : await requireEnvironment(db, named);
  if (!target) throw badRequest(`${from} is the last environment; name the one to promote to with "to"`, { field: 'to' });
  if (target.key === from)
    throw badRequest(`from and to are both ${from}; promotion copies a flag between two environments`, { field: 'to' });
  return { promotion: { key, from, to: target.key }, target };
}

// Everything a flag serves travels (variants, rules, fallthrough, splits with their slot layout, on/off,
// offVariant, bucketBy, description, metadata); the version stays the target's own. Rollout plans and
// alert rules live beside the flag, per environment, and do not travel.
async function bothSides(db: Queryable, promotion: Promotion, lock: boolean) {
  const { key, from, to } = promotion;
  const source = await findFlag(db, from, key);
  if (!source) throw notFound(`no flag ${JSON.stringify(key)} in ${from}`);
  const target = await findFlag(db, to, key, lock);
  if (!target) throw notFound(`no flag ${JSON.stringify(key)} in ${to}`);
  return { source, target, changes: diffJson(withoutVersion(target.flag), withoutVersion(source.flag)) };
}

export async function previewPromotion(plane: Plane, promotion: Promotion): Promise<PromotionPreview> {
  const { source, target, changes } = await bothSides(plane.db, promotion, false);
  return {
    flag: promotion.key,
    from: { environment: promotion.from, version: source.version },
    to: { environment: promotion.to, version: target.version },
    changes,
  };
}

/**
 * Copies the flag's configuration from `from` onto `to`, if `to` is still at `expectedVersion` (409 and
 * nothing written otherwise), with one `flag.promote` entry in the target's trail naming the source
 * version, then tells the target's streams. A promotion that would change nothing writes nothing.
 */
export async function promoteFlag(
  plane: Plane,
  promotion: Promotion & { actor: Actor; expectedVersion: number },
): Promise<{ changed: boolean; stored: StoredFlag; changes: AuditEntry['changes'] }> {
  const { key, from, to, actor, expectedVersion } = promotion;
  const result = await plane.db.transaction(async (tx) => {
    const { source, target, changes } = await bothSides(tx, promotion, true);
    if (target.version !== expectedVersion) {
      throw conflict('version_conflict', `flag ${JSON.stringify(key)} in ${to} changed since version ${expectedVersion}`, {
        currentVersion: target.version,
      });
    }
    if (target.archivedAt) {
      throw conflict('flag_archived', `flag ${JSON.stringify(key)} is archived in ${to}; restore it there before promoting into it`);
    }
    if (changes.length === 0) return { changed: false, stored: target, changes };
    const flag = await validatedHoldingSegments(tx, to, key, withoutVersion(source.flag), target.version + 1);
    const stored = await updateFlag(tx, to, flag, key, target.version, actor.name);
    const note = `promoted from ${from} version ${source.version}`;
    await appendAudit(tx, {
      actor,
      action: 'flag.promote',
      environment: to,
      flagKey: key,
      version: flag.version,
      before: target.flag,
      after: flag,
      note,
    });
    return { changed: true, stored, changes };
  });
  if (result.changed) await announce(plane, { environment: to, key, version: result.stored.version, action: 'flag.update' });
  return result;
}

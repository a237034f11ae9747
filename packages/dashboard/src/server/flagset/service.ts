import { compileFlagSet, type Flag, FlagValidationError, parseFlagSet, type Segment } from '@flaglens/evaluator';
import { diffJson } from '../audit/diff';
import { appendAudit, withoutVersion } from '../audit/log';
import type { Actor } from '../auth/principal';
import { type Queryable, sqlState } from '../db/database';
import { DEFAULT_METADATA, metadataOf, splitFlagInput } from '../flags/metadata';
import { announce, createElsewhere, deleteEverywhere, RESERVED_KEYS } from '../flags/service';
import { findFlags, insertFlag, lastVersion, lockMetadata, type StoredFlag, updateFlag, writeMetadata } from '../flags/store';
import { ApiError, conflict } from '../http/errors';
import type { ControlPlane } from '../plane';
import { recordSegment } from '../segments/record';
import { findSegments, type StoredSegment } from '../segments/store';
import type { FlagChange } from '../stream/feed';
import type { ApplyRequest, FlagsetDocument } from './document';
import { carryLayouts } from './layouts';
import { type DesiredFlag, type PlanStep, planApply, planSegments, staleSteps } from './plan';

type Plane = Pick<ControlPlane, 'db' | 'feed'>;

const AUDIT_NOTE = 'applied from a flag set file';

// The evaluator's path style, so a metadata problem reads like a definition one: `flags["ai-model"].tags.0`.
const flagPath = (key: string) => `flags${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;

/**
 * The environment's served flags (archived ones are left out: `flags archive|restore` move them) with
 * their owner, tags and kind beside each definition, its segments, and each flag's and segment's version.
 */
export async function exportFlagset(plane: Plane, environment: string): Promise<FlagsetDocument> {
  // Flags and segments from one snapshot: a file whose flags use a segment it lacks would not apply.
  const { stored, segments } = await plane.db.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read, read only');
    return {
      stored: (await findFlags(tx, environment)).filter((entry) => !entry.archivedAt),
      segments: await findSegments(tx, environment),
    };
  });
  const flags: FlagsetDocument['flags'] = {};
  for (const entry of stored) flags[entry.key] = { ...(withoutVersion(entry.flag) as object), ...metadataOf(entry) };
  return {
    environment,
    flags,
    segments: Object.fromEntries(segments.map((entry) => [entry.key, entry.segment])),
    versions: Object.fromEntries(stored.map((entry) => [entry.key, entry.version])),
    segmentVersions: Object.fromEntries(segments.map((entry) => [entry.key, entry.version])),
  };
}

/**
 * The file's segments (validated: a FlagValidationError names `segments.x…`), and those the environment
 * ends up with: the file's, beside the stored ones it leaves out unless `prune`. A file without segments
 * keeps the stored ones.
 */
function segmentsOf(request: ApplyRequest, stored: readonly StoredSegment[]) {
  const kept = Object.fromEntries(stored.map((entry) => [entry.key, entry.segment]));
  if (request.segments === undefined) return { file: undefined, final: kept };
  const file = parseFlagSet({ flags: {}, segments: request.segments }).segments;
  return { file, final: request.prune ? file : { ...kept, ...file } };
}

/**
 * The flags the file does not touch (archived ones, and the stored ones it leaves out without `prune`)
 * must still compile with the segments it leaves: a FlagValidationError names the rule that lost its segment.
 */
function checkUntouched(request: ApplyRequest, all: readonly StoredFlag[], segments: Record<string, Segment>): void {
  const untouched: Record<string, Flag> = {};
  for (const entry of all) {
    if (entry.archivedAt || (!request.prune && !Object.hasOwn(request.flags, entry.key))) untouched[entry.key] = entry.flag;
  }
  compileFlagSet({ flags: untouched, segments });
}

/**
 * The file's flags validated as one set against the segments apply leaves (a FlagValidationError names
 * `flags["x"]…`), each with its metadata: a file is the whole truth, so metadata it leaves out is the default.
 */
function desiredFlags(
  request: ApplyRequest,
  stored: Map<string, StoredFlag>,
  segments: Record<string, Segment>,
): Record<string, DesiredFlag> {
  const definitions: Record<string, unknown> = {};
  const metadata: Record<string, DesiredFlag['metadata']> = {};
  const reserved = Object.keys(request.flags).filter((key) => !stored.has(key) && RESERVED_KEYS.includes(key));
  if (reserved.length > 0) {
    throw new FlagValidationError(
      reserved.map((key) => ({ path: flagPath(key), problem: `cannot be a flag key: /flags/${key} is a page of its own` })),
    );
  }
  for (const [key, input] of Object.entries(request.flags)) {
    try {
      const split = splitFlagInput(input);
      definitions[key] = split.definition;
      metadata[key] = { ...DEFAULT_METADATA, ...split.metadata };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const issues = (error.details as { issues: { path: string; problem: string }[] }).issues;
      throw new FlagValidationError(issues.map(({ path, problem }) => ({ path: `${flagPath(key)}.${path}`, problem })));
    }
  }
  const parsed = parseFlagSet({ flags: definitions, segments });
  const carried = Object.fromEntries(Object.entries(parsed.flags).map(([key, flag]) => [key, carryLayouts(stored.get(key)?.flag, flag)]));
  const compiled = compileFlagSet({ flags: carried, segments }).definition.flags;
  return Object.fromEntries(Object.entries(compiled).map(([key, flag]) => [key, { flag, metadata: metadata[key] ?? DEFAULT_METADATA }]));
}

/** Writes one step with its audit entries; returns the changes SDK streams must hear of. */
async function write(
  tx: Queryable,
  environment: string,
  actor: Actor,
  step: PlanStep,
  before: StoredFlag | undefined,
  after: DesiredFlag | undefined,
) {
  const { key } = step;
  if (!after) {
    if (!before) throw new Error(`plan step ${step.action} for ${key} has no flag`);
    return deleteEverywhere(tx, { environment, key, actor, expectedVersion: before.version, note: AUDIT_NOTE });
  }
  const metadataChanged = !before || diffJson(metadataOf(before), after.metadata).length > 0;
  // The key's row, locked before it changes: another environment's write may have changed it since it was read.
  const previousMetadata = before && metadataChanged ? await lockMetadata(tx, key, actor.name) : before && metadataOf(before);
  if (metadataChanged) await writeMetadata(tx, key, after.metadata, actor.name);
  const note = AUDIT_NOTE;
  if (before && diffJson(withoutVersion(before.flag), withoutVersion(after.flag)).length === 0) {
    // Only owner, tags or kind changed: SDKs never see them, so the version stays and nothing is published.
    await appendAudit(tx, {
      actor,
      action: 'flag.metadata',
      environment,
      flagKey: key,
      version: before.version,
      before: previousMetadata,
      after: after.metadata,
      note,
    });
    return [];
  }
  const version = before ? before.version + 1 : (await lastVersion(tx, environment, key)) + 1;
  const flag = { ...after.flag, version };
  const entry = { ...flag, ...after.metadata };
  if (before) {
    await updateFlag(tx, environment, flag, key, before.version, actor.name);
    const previous = metadataChanged ? { ...before.flag, ...previousMetadata } : before.flag;
    await appendAudit(tx, {
      actor,
      action: 'flag.update',
      environment,
      flagKey: key,
      version,
      before: previous,
      after: metadataChanged ? entry : flag,
      note,
    });
    return [{ environment, key, version, action: 'flag.update' } satisfies FlagChange];
  }
  await insertFlag(tx, environment, flag, key, actor.name);
  await appendAudit(tx, { actor, action: 'flag.create', environment, flagKey: key, version, after: entry, note });
  // A new flag exists in every environment, switched off elsewhere (as a create through the API).
  const elsewhere = await createElsewhere(tx, { environment, key, actor }, flag);
  return [{ environment, key, version, action: 'flag.create' } satisfies FlagChange, ...elsewhere];
}

function refuseStale(plan: readonly PlanStep[], segmentPlan: readonly PlanStep[]): void {
  const stale = staleSteps(plan);
  const staleSegments = staleSteps(segmentPlan);
  if (stale.length === 0 && staleSegments.length === 0) return;
  const names = [...stale.map((step) => JSON.stringify(step.key)), ...staleSegments.map((step) => `segment ${JSON.stringify(step.key)}`)];
  const versions = ({ key, baseVersion, currentVersion }: PlanStep) => ({ key, baseVersion, currentVersion });
  throw conflict('stale_flags', `changed since the file's base version: ${names.join(', ')}; export again and redo the edit`, {
    stale: stale.map(versions),
    staleSegments: staleSegments.map(versions),
  });
}

function refuseArchived(request: ApplyRequest, archived: readonly StoredFlag[]): void {
  const keys = archived.map((entry) => entry.key).filter((key) => Object.hasOwn(request.flags, key));
  if (keys.length === 0) return;
  throw conflict(
    'flag_archived',
    `archived flags cannot be applied: ${keys.map((key) => JSON.stringify(key)).join(', ')}; restore them first`,
    { keys },
  );
}

/**
 * Applies a flag set file to an environment, all or nothing, in one transaction: 400 when any flag or
 * segment is invalid or the resulting set would not compile, 409 `stale_flags` when any flag or segment
 * it would change moved on since the file's base version. With `dryRun` it only returns the plan (`plan`
 * for flags, `segments` for segments). One audit entry per changed flag or segment; SDKs hear of each after commit.
 */
export async function applyFlagset(
  plane: Plane,
  target: { environment: string; actor: Actor; request: ApplyRequest },
): Promise<{ applied: boolean; plan: PlanStep[]; segments: PlanStep[] }> {
  const { environment, actor, request } = target;
  try {
    const { plan, segmentPlan, changes } = await plane.db.transaction(async (tx) => {
      // Locking every row of the environment queues concurrent writers behind this apply: the flags first, as
      // every writer locks a flag before the segments it uses, then the segments. The flags are read once
      // those are ours: a flag created meanwhile held the segments it uses until it committed.
      if (!request.dryRun) await findFlags(tx, environment, true);
      const storedSegments = await findSegments(tx, environment, !request.dryRun);
      const all = await findFlags(tx, environment, !request.dryRun);
      refuseArchived(
        request,
        all.filter((entry) => entry.archivedAt),
      );
      const stored = new Map(all.filter((entry) => !entry.archivedAt).map((entry) => [entry.key, entry]));
      const { file, final: segments } = segmentsOf(request, storedSegments);
      const desired = desiredFlags(request, stored, segments);
      checkUntouched(request, all, segments);
      const plan = planApply([...stored.values()], desired, request.versions, request.prune);
      const segmentPlan = file ? planSegments(storedSegments, file, request.segmentVersions, request.prune) : [];
      refuseStale(plan, segmentPlan);
      const changes: FlagChange[] = [];
      if (request.dryRun) return { plan, segmentPlan, changes };
      // Segments first, so the flags that use them find them; deleted ones last, once no flag uses them.
      const segmentSteps = segmentPlan.filter((step) => step.action !== 'unchanged');
      const byKey = new Map(storedSegments.map((entry) => [entry.key, entry]));
      const recordStep = (step: PlanStep) =>
        recordSegment(tx, { environment, key: step.key, actor, note: AUDIT_NOTE }, byKey.get(step.key), segments[step.key]);
      for (const step of segmentSteps) if (step.action !== 'delete') changes.push(await recordStep(step));
      for (const step of plan) {
        if (step.action !== 'unchanged')
          changes.push(...(await write(tx, environment, actor, step, stored.get(step.key), desired[step.key])));
      }
      for (const step of segmentSteps) if (step.action === 'delete') changes.push(await recordStep(step));
      return { plan, segmentPlan, changes };
    });
    for (const change of changes) await announce(plane, change);
    return { applied: !request.dryRun, plan, segments: segmentPlan };
  } catch (error) {
    // A create racing ours committed first: its primary key stops our insert, and the whole apply.
    if (sqlState(error) !== '23505') throw error;
    throw conflict('stale_flags', 'a flag or segment in the file was just created by someone else; export again and redo the edit', {
      stale: [],
      staleSegments: [],
    });
  }
}

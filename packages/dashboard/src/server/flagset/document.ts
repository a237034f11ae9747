import type { Segment } from '@flaglens/evaluator';
import { badRequest } from '../http/errors';

/**
 * An environment's flag set as a file (`GET /api/v1/flagset`), and what `POST /api/v1/flagset/apply` takes
 * back: the flags without their versions, the segments, and each flag's and segment's version when
 * exported, which apply treats as the base the file was edited from.
 */
export interface FlagsetDocument {
  environment: string;
  flags: Record<string, Record<string, unknown>>;
  segments: Record<string, Segment>;
  versions: Record<string, number>;
  segmentVersions: Record<string, number>;
}

/** Largest apply body: a whole environment's flags with their model configs, far above one flag's 256 KiB. */
export const APPLY_LIMIT_BYTES = 8 * 1024 * 1024;

/** An apply request: the file's content and what to do with it. */
export interface ApplyRequest {
  /** Flag inputs by key, as written in the file (any `version` field dropped: `versions` rules). */
  flags: Record<string, Record<string, unknown>>;
  /** The file's segments, when it has them; a file without any leaves the stored ones alone. */
  segments: Record<string, unknown> | undefined;
  versions: Record<string, number>;
  segmentVersions: Record<string, number>;
  /** Compute and return the plan, write nothing. */
  dryRun: boolean;
  /** Delete stored flags (and, when it has segments, segments) the file does not list. */
  prune: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) throw badRequest(`${path} must be a JSON object`, { path });
  return value;
}

function booleanAt(value: unknown, path: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw badRequest(`${path} must be true or false`, { path });
  return value;
}

// The base versions a file was exported at, by key.
function versionsAt(value: unknown, name: string): Record<string, number> {
  const versions: Record<string, number> = {};
  for (const [key, version] of Object.entries(value === undefined ? {} : objectAt(value, name))) {
    if (!Number.isInteger(version) || (version as number) < 1) {
      const path = `${name}[${JSON.stringify(key)}]`;
      throw badRequest(`${path} must be a positive whole number: the version the file was exported at`, { path });
    }
    versions[key] = version as number;
  }
  return versions;
}

/** Reads an apply body, 400 naming the path of the first thing that is not the expected shape. */
export function parseApplyRequest(body: unknown): ApplyRequest {
  const root = objectAt(body, 'the body');
  const flags: ApplyRequest['flags'] = {};
  for (const [key, input] of Object.entries(objectAt(root.flags, 'flags'))) {
    const { version: _ignored, ...flag } = objectAt(input, `flags[${JSON.stringify(key)}]`);
    flags[key] = flag;
  }
  return {
    flags,
    segments: root.segments === undefined ? undefined : objectAt(root.segments, 'segments'),
    versions: versionsAt(root.versions, 'versions'),
    segmentVersions: versionsAt(root.segmentVersions, 'segmentVersions'),
    dryRun: booleanAt(root.dryRun, 'dryRun'),
    prune: booleanAt(root.prune, 'prune'),
  };
}

import type { Expected } from '../api/client.js';

/** An environment's flag set as a file: what `GET /api/v1/flagset` serves and `POST /api/v1/flagset/apply` takes. */
export interface FlagsetFile {
  environment?: string;
  /** Flag definitions by key, without their versions. */
  flags: Record<string, Record<string, unknown>>;
  segments?: Record<string, unknown>;
  /** Each flag's version when exported: the base `apply` checks, so nobody's change is overwritten unseen. */
  versions?: Record<string, number>;
  /** The same for each segment. */
  segmentVersions?: Record<string, number>;
}

/** One leaf that differs: absent `before` means added, absent `after` removed. */
export interface Change {
  path: string;
  before?: unknown;
  after?: unknown;
}

/** What apply does, or would do, to one flag or segment. */
export interface PlanStep {
  key: string;
  action: 'create' | 'update' | 'delete' | 'unchanged';
  baseVersion: number | null;
  currentVersion: number | null;
  diff: Change[];
}

export interface ApplyResult {
  applied: boolean;
  plan: PlanStep[];
  /** Segment steps; empty when the file has no segments (or from a control plane older than segment writes). */
  segments?: PlanStep[];
}

/** How `GET /flagset` and `POST /flagset/apply` answers are recognised. */
export const FLAG_SET_ANSWER: Expected = { what: 'a flag set', fields: { flags: 'object' } };
export const APPLY_ANSWER: Expected = { what: 'an apply plan', fields: { plan: 'array' } };

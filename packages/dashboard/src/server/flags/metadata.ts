import { ApiError } from '../http/errors';

export const FLAG_KINDS = ['temporary', 'permanent'] as const;
/** `temporary`: a release or experiment flag, removed once decided. `permanent`: an operational switch that stays. */
export type FlagKind = (typeof FLAG_KINDS)[number];

/** What the control plane knows about a flag beyond its definition; SDKs never see it. */
export interface FlagMetadata {
  /** Who answers for the flag (a person, a team, an address); null when nobody was named. */
  owner: string | null;
  tags: string[];
  kind: FlagKind;
}

export const DEFAULT_METADATA: FlagMetadata = { owner: null, tags: [], kind: 'temporary' };

export const OWNER_MAX = 200;
export const TAGS_MAX = 20;
/** A tag: lowercase slug, so `Team-A` and `team-a` cannot become two filters. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,39}$/;

const METADATA_FIELDS = ['owner', 'tags', 'kind'] as const;

const invalid = (path: string, problem: string) =>
  new ApiError(400, 'invalid_metadata', `${path}: ${problem}`, { issues: [{ path, problem }] });

function parseOwner(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw invalid('owner', 'must be a string or null');
  const owner = value.trim();
  if (owner.length > OWNER_MAX) throw invalid('owner', `must be at most ${OWNER_MAX} characters`);
  return owner === '' ? null : owner;
}

function parseTags(value: unknown): string[] {
  if (!Array.isArray(value)) throw invalid('tags', 'must be an array of strings');
  if (value.length > TAGS_MAX) throw invalid('tags', `at most ${TAGS_MAX} tags`);
  value.forEach((tag, index) => {
    if (typeof tag !== 'string' || !TAG_PATTERN.test(tag)) {
      throw invalid(`tags.${index}`, 'use 1–40 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
    }
  });
  return [...new Set(value as string[])].sort();
}

function parseKind(value: unknown): FlagKind {
  if (!FLAG_KINDS.includes(value as FlagKind)) throw invalid('kind', `must be one of ${FLAG_KINDS.join(', ')}`);
  return value as FlagKind;
}

/** Validates the metadata fields present in `body`; absent ones stay absent (a partial update keeps them). */
export function parseMetadata(body: Record<string, unknown>): Partial<FlagMetadata> {
  const metadata: Partial<FlagMetadata> = {};
  if (body.owner !== undefined) metadata.owner = parseOwner(body.owner);
  if (body.tags !== undefined) metadata.tags = parseTags(body.tags);
  if (body.kind !== undefined) metadata.kind = parseKind(body.kind);
  return metadata;
}

/**
 * Splits a flag write's body into the definition the evaluator validates and the metadata beside it
 * (`owner`, `tags`, `kind` at the top level). A body that is not an object passes through for the
 * evaluator to refuse.
 */
export function splitFlagInput(input: unknown): { definition: unknown; metadata: Partial<FlagMetadata> } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { definition: input, metadata: {} };
  const body = { ...(input as Record<string, unknown>) };
  const metadata = parseMetadata(body);
  for (const field of METADATA_FIELDS) delete body[field];
  return { definition: body, metadata };
}

/** Just the metadata of something that carries it (a stored flag carries more). */
export const metadataOf = ({ owner, tags, kind }: FlagMetadata): FlagMetadata => ({ owner, tags, kind });

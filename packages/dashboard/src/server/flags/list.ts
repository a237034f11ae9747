import type { ControlPlane } from '../plane';
import type { FlagKind } from './metadata';
import { findFlags, type StoredFlag } from './store';

/** One row of the flags list: enough to see state, rollout and who owns it without opening the flag. */
export type FlagSummary = StoredFlag;

export interface FlagFilter {
  /** Case-insensitive text found in the key or description. */
  query?: string;
  state?: 'on' | 'off';
  /** Case-insensitive text found in the owner. */
  owner?: string;
  /** Flags carrying this tag. */
  tag?: string;
  kind?: FlagKind;
  /** `false` (default): served flags only; `true`: archived ones only; `'any'`: both. */
  archived?: boolean | 'any';
}

/** The environment's flags by key, filtered as the list page asks; archived flags only when asked for. */
export async function listFlags(plane: Pick<ControlPlane, 'db'>, environment: string, filter: FlagFilter = {}): Promise<FlagSummary[]> {
  const query = filter.query?.trim().toLowerCase() ?? '';
  const owner = filter.owner?.trim().toLowerCase() ?? '';
  const archived = filter.archived ?? false;
  return (await findFlags(plane.db, environment))
    .filter(({ key, flag }) => !query || key.toLowerCase().includes(query) || (flag.description ?? '').toLowerCase().includes(query))
    .filter(({ flag }) => filter.state === undefined || flag.enabled === (filter.state === 'on'))
    .filter((stored) => !owner || (stored.owner ?? '').toLowerCase().includes(owner))
    .filter((stored) => !filter.tag || stored.tags.includes(filter.tag))
    .filter((stored) => filter.kind === undefined || stored.kind === filter.kind)
    .filter((stored) => archived === 'any' || (stored.archivedAt !== null) === archived);
}

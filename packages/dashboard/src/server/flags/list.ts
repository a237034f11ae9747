import type { Flag } from '@flaglens/evaluator';
import type { ControlPlane } from '../plane';

/** One row of the flags list: enough to see state and rollout without opening the flag. */
export interface FlagSummary {
  key: string;
  version: number;
  flag: Flag;
  updatedAt: string;
  updatedBy: string;
}

export interface FlagFilter {
  /** Case-insensitive text found in the key or description. */
  query?: string;
  state?: 'on' | 'off';
}

/** The environment's flags by key, filtered as the list page asks. */
export async function listFlags(plane: Pick<ControlPlane, 'db'>, environment: string, filter: FlagFilter = {}): Promise<FlagSummary[]> {
  const rows = await plane.db.query<{ key: string; definition: Flag; version: number; updated_at: Date; updated_by: string }>(
    'select key, definition, version, updated_at, updated_by from flags where environment = $1 order by key',
    [environment],
  );
  const query = filter.query?.trim().toLowerCase() ?? '';
  return rows
    .map((row) => ({
      key: row.key,
      version: row.version,
      flag: row.definition,
      updatedAt: new Date(row.updated_at).toISOString(),
      updatedBy: row.updated_by,
    }))
    .filter(({ key, flag }) => !query || key.toLowerCase().includes(query) || (flag.description ?? '').toLowerCase().includes(query))
    .filter(({ flag }) => filter.state === undefined || flag.enabled === (filter.state === 'on'));
}

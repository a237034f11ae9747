import type { FlagFilter } from './list';

type Search = Record<string, string | string[] | undefined>;
const text = (value: string | string[] | undefined) => (typeof value === 'string' ? value.trim() : '');

/** The list page's debt filters, as URL query parameters so a filtered view can be shared. */
export type DebtFilter = Pick<FlagFilter, 'owner' | 'tag' | 'kind' | 'archived'>;

/** `?owner=` (text in the owner), `?tag=`, `?kind=temporary|permanent`, `?archived=only|all` (absent: served flags only). */
export function debtFilterOf(params: Search): DebtFilter {
  const kind = text(params.kind);
  const archived = text(params.archived);
  return {
    owner: text(params.owner) || undefined,
    tag: text(params.tag) || undefined,
    kind: kind === 'temporary' || kind === 'permanent' ? kind : undefined,
    archived: archived === 'only' ? true : archived === 'all' ? 'any' : false,
  };
}

export const isDebtFiltered = (filter: DebtFilter) =>
  filter.owner !== undefined || filter.tag !== undefined || filter.kind !== undefined || filter.archived !== false;

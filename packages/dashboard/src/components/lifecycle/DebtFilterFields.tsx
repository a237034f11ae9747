import type { DebtFilter } from '@/src/server/flags/list-query';

/** Owner, tag, kind and archived-state fields of the flags list's filter form (a GET form: the URL is the filter). */
export function DebtFilterFields({ filter, tags }: { filter: DebtFilter; tags: string[] }) {
  const archived = filter.archived === true ? 'only' : filter.archived === 'any' ? 'all' : '';
  return (
    <>
      <div className="field">
        <label htmlFor="owner">Owner</label>
        <input id="owner" name="owner" type="search" defaultValue={filter.owner ?? ''} />
      </div>
      <div className="field">
        <label htmlFor="tag">Tag</label>
        <input id="tag" name="tag" list="known-tags" defaultValue={filter.tag ?? ''} />
        <datalist id="known-tags">
          {tags.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="kind">Kind</label>
        <select id="kind" name="kind" defaultValue={filter.kind ?? ''}>
          <option value="">Any kind</option>
          <option value="temporary">Temporary</option>
          <option value="permanent">Permanent</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="archived">Archived</label>
        <select id="archived" name="archived" defaultValue={archived}>
          <option value="">Hide archived</option>
          <option value="only">Archived only</option>
          <option value="all">Show all</option>
        </select>
      </div>
    </>
  );
}

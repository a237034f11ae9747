import type { Metadata } from 'next';
import Link from 'next/link';
import { Actor } from '@/src/components/Actor';
import { DebtFilterFields } from '@/src/components/lifecycle/DebtFilterFields';
import { FlagLabels } from '@/src/components/lifecycle/FlagLabels';
import { RolloutSummary } from '@/src/components/RolloutSummary';
import { Table } from '@/src/components/Table';
import { UtcTime } from '@/src/components/Time';
import { hasRole, requireViewer } from '@/src/server/auth/page-session';
import { pageEnvironments } from '@/src/server/environments/page';
import { listFlags } from '@/src/server/flags/list';
import { debtFilterOf, isDebtFiltered } from '@/src/server/flags/list-query';
import { listTags } from '@/src/server/flags/store';
import { getControlPlane } from '@/src/server/plane';

export const metadata: Metadata = { title: 'Flags · flaglens' };

type Search = Record<string, string | string[] | undefined>;
const text = (value: string | string[] | undefined) => (typeof value === 'string' ? value : '');

const CREATE_EXAMPLE = `curl -X PUT http://HOST/api/v1/flags/ai-model \\
  -H "Authorization: Bearer $FLAGLENS_TOKEN" -H "Content-Type: application/json" \\
  -d '{"type":"object","variants":{"control":{"model":"v1"},"candidate":{"model":"v2"}},
       "offVariant":"control","fallthrough":{"variant":"control"}}'`;

function EmptyState({ filtered, canCreate }: { filtered: boolean; canCreate: boolean }) {
  if (filtered)
    return (
      <p>
        No flag matches this search. <Link href="/flags">Show all flags</Link>.
      </p>
    );
  return (
    <div className="card sunk">
      <h2 style={{ marginTop: 0 }}>No flags yet</h2>
      <p>A flag routes each request to a model variant. Create the first one:</p>
      <ul>
        <li>{canCreate ? <Link href="/flags/new">in the UI, with New flag</Link> : 'in the UI, with New flag (needs the editor role)'};</li>
        <li>
          or with the API, using a token with the editor role:
          <pre>{CREATE_EXAMPLE}</pre>
        </li>
      </ul>
    </div>
  );
}

export default async function FlagsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const viewer = await requireViewer('/flags');
  const params = await searchParams;
  const query = text(params.q);
  const state = text(params.state);
  const debt = debtFilterOf(params);
  const filter = { query, state: state === 'on' || state === 'off' ? state : undefined, ...debt } as const;
  const { current } = await pageEnvironments();
  const flags = await listFlags(await getControlPlane(), current.key, filter);
  const canCreate = hasRole(viewer, 'editor');
  return (
    <>
      <div className="spread">
        <h1>Flags in {current.name}</h1>
        {canCreate && (
          <Link className="button primary" href="/flags/new">
            New flag
          </Link>
        )}
      </div>
      <search>
        <form className="row" action="/flags">
          <div className="field">
            <label htmlFor="q">Search key or description</label>
            <input id="q" name="q" type="search" defaultValue={query} />
          </div>
          <div className="field">
            <label htmlFor="state">State</label>
            <select id="state" name="state" defaultValue={filter.state ?? ''}>
              <option value="">On and off</option>
              <option value="on">On</option>
              <option value="off">Off</option>
            </select>
          </div>
          <DebtFilterFields filter={debt} tags={await listTags((await getControlPlane()).db)} />
          <div className="field">
            <button type="submit">Filter</button>
          </div>
        </form>
      </search>
      <Table
        columns={['Flag', 'State', 'Type', 'Version', 'Rollout', 'Last change']}
        rows={flags}
        caption="Flags, with state and rollout"
        empty={<EmptyState filtered={query !== '' || filter.state !== undefined || isDebtFiltered(debt)} canCreate={canCreate} />}
      >
        {({ key, version, flag, updatedAt, updatedBy, ...stored }) => (
          <tr key={key}>
            <th scope="row">
              <Link href={`/flags/${encodeURIComponent(key)}`}>{key}</Link>
              {flag.description && <p className="hint">{flag.description}</p>}
              <FlagLabels stored={stored} />
            </th>
            <td>
              <span className={`badge ${flag.enabled ? 'on' : 'off'}`}>{flag.enabled ? 'On' : 'Off'}</span>
            </td>
            <td>{flag.type}</td>
            <td>{version}</td>
            <td>{stored.archivedAt ? <span className="hint">not served to SDKs</span> : <RolloutSummary flag={flag} />}</td>
            <td className="hint">
              <UtcTime at={updatedAt} /> by <Actor actor={{ name: updatedBy }} />
            </td>
          </tr>
        )}
      </Table>
    </>
  );
}

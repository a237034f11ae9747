import type { Metadata } from 'next';
import { StaleTable } from '@/src/components/lifecycle/StaleTable';
import { requireViewer } from '@/src/server/auth/page-session';
import { pageEnvironments } from '@/src/server/environments/page';
import { ApiError } from '@/src/server/http/errors';
import { getControlPlane } from '@/src/server/plane';
import { staleFlags } from '@/src/server/stale/service';
import { STALE_DAYS_MAX, staleDaysParam, staleDaysSetting } from '@/src/server/stale/settings';

export const metadata: Metadata = { title: 'Stale flags · flaglens' };

type Search = Record<string, string | string[] | undefined>;

/** `?days=` when valid; the setting otherwise, with the problem said on the page. */
function daysOf(raw: string | string[] | undefined): { days: number; problem?: string } {
  try {
    return { days: staleDaysParam(typeof raw === 'string' ? raw : null) };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    return { days: staleDaysSetting(), problem: error.message };
  }
}

export default async function StaleFlagsPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireViewer('/flags/stale');
  const { days, problem } = daysOf((await searchParams).days);
  const { current } = await pageEnvironments();
  const report = await staleFlags(await getControlPlane(), current.key, { days });
  return (
    <>
      <h1>Stale flags in {current.name}</h1>
      <p className="hint">
        Flags that are debt: temporary flags serving one variant to everyone or whose rollout completed, and flags nothing evaluates or
        references. Permanent flags are only judged on evaluations and code references. Archived flags are left out.
      </p>
      <search>
        <form className="row" action="/flags/stale">
          <div className="field">
            <label htmlFor="days">Stale after (days)</label>
            <input id="days" name="days" type="number" min={1} max={STALE_DAYS_MAX} defaultValue={days} />
          </div>
          <div className="field">
            <button type="submit">Show</button>
          </div>
        </form>
      </search>
      {problem && (
        <p className="callout error">
          {problem}; showing {days} days.
        </p>
      )}
      {report.checks.evaluations === 'unavailable' && (
        <p className="callout error">Evaluation counts could not be read from the metrics source, so no flag is judged on them.</p>
      )}
      {report.checks.codeRefs === 'no_scans' && (
        <p className="callout" data-testid="no-scans">
          No code scan has been pushed for {current.name}, so code references are not judged. Push one from CI with{' '}
          <code>flaglens code-refs &lt;dir&gt; --push</code>.
        </p>
      )}
      <StaleTable flags={report.flags} days={days} />
    </>
  );
}

'use client';

import { useMemo, useState } from 'react';
import { ClassTables } from './ClassTables';
import { classTables } from './classes';
import styles from './compare.module.css';
import { chartPanels } from './datasets';
import { EmptyState } from './EmptyState';
import { MetricChart } from './MetricChart';
import { variantStyles } from './palette';
import { type CompareResponse, totalRequests, WINDOWS, type WindowName } from './response';
import { SliceTables } from './SliceTables';
import { SplitBanner } from './SplitBanner';
import { SummaryTable } from './SummaryTable';
import { sliceTables } from './slices';
import { splitCheck } from './srm';
import { summarise } from './summary';
import { useComparison } from './useComparison';
import { VariantLegend } from './VariantLegend';
import { WindowPicker } from './WindowPicker';

interface Props {
  flag: string;
  initialWindow: WindowName;
  canCreateSdkKeys: boolean;
}

function Figures({ data, windowLabel }: { data: CompareResponse; windowLabel: string }) {
  const prepared = useMemo(() => {
    const styleMap = variantStyles(
      data.series.variants.map((v) => v.variant),
      data.control,
    );
    const steps = data.series.steps;
    return {
      styles: [...styleMap.values()],
      panels: chartPanels(data.series, styleMap),
      summaries: summarise(data.summary, { costUsd: Object.fromEntries(data.variants.map((v) => [v.variant, v.costUsd])) }),
      // Shadow runs against the served control; the response has none outside mode=served.
      shadowSummaries: data.shadow
        ? summarise(
            { ...data.summary, variants: [...data.summary.variants.filter((v) => v.isControl), ...data.shadow.variants] },
            { shadow: true },
          )
        : [],
      classes: classTables(data.summary.variants, data.shadow?.variants),
      slices: sliceTables(data.summary.slices),
      shadowSlices: data.shadow ? sliceTables(data.shadow.slices) : [],
      split: splitCheck(data.summary),
      withDate: steps.length > 1 && (steps.at(-1) ?? 0) - (steps[0] ?? 0) > 24 * 3_600_000,
    };
  }, [data]);
  return (
    <>
      <SplitBanner check={prepared.split} />
      <h2>Summary</h2>
      {prepared.summaries.length === 0 ? (
        <p className="hint">Only {data.control} has traffic in this window: there is no other variant to compare with it yet.</p>
      ) : (
        prepared.summaries.map((summary) => <SummaryTable key={summary.variant} summary={summary} windowLabel={windowLabel} />)
      )}
      {prepared.shadowSummaries.length > 0 && (
        <>
          <h2>Shadow runs</h2>
          {prepared.shadowSummaries.map((summary) => (
            <SummaryTable key={`shadow:${summary.variant}`} summary={summary} windowLabel={windowLabel} />
          ))}
        </>
      )}
      <ClassTables tables={prepared.classes} />
      <h2>Over time</h2>
      <VariantLegend variants={prepared.styles} />
      <div className={styles.charts}>
        {prepared.panels.map((panel) => (
          <MetricChart key={panel.id} panel={panel} withDate={prepared.withDate} stepMs={data.series.stepMs} />
        ))}
      </div>
      <h2>Slices</h2>
      <SliceTables tables={prepared.slices} control={data.control} />
      {prepared.shadowSlices.length > 0 && (
        <>
          <h2>Slices of shadow runs</h2>
          <SliceTables tables={prepared.shadowSlices} control={data.control} shadow />
        </>
      )}
    </>
  );
}

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The comparison page's live part: window picker, refresh status, and the figures or the empty state. */
export function ComparisonView({ flag, initialWindow, canCreateSdkKeys }: Props) {
  const [windowName, setWindowName] = useState<WindowName>(initialWindow);
  const [live, setLive] = useState(true);
  const state = useComparison(flag, windowName, live);
  const windowLabel = WINDOWS.find((w) => w.window === windowName)?.label ?? windowName;

  const choose = (next: WindowName) => {
    setWindowName(next);
    // The window goes into the address, so a shared link opens the same view.
    const url = new URL(window.location.href);
    url.searchParams.set('window', next);
    window.history.replaceState(null, '', url);
  };

  const status = state.paused
    ? 'Paused while this tab is hidden'
    : state.loading
      ? 'Loading…'
      : state.checkedAt
        ? `Checked ${time(state.checkedAt)}${live ? ' · refreshes every 15 s' : ''}`
        : '';

  return (
    <div aria-busy={state.loading}>
      <div className={styles.toolbar}>
        <WindowPicker value={windowName} onChange={choose} />
        <div className={styles.live}>
          <label>
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live
          </label>
          <span data-testid="refresh-status">{status}</span>
        </div>
      </div>
      {state.problem && (
        <p className="callout error" role="alert">
          {state.problem.status === 404 && state.problem.code === 'http_error'
            ? 'This control plane has no comparison API yet (404).'
            : `Could not load the comparison: ${state.problem.message}.`}
          {state.data && ' Showing the last figures that loaded.'}
        </p>
      )}
      {state.data &&
        (totalRequests(state.data) === 0 ? (
          <EmptyState flag={flag} windowLabel={windowLabel} canCreateSdkKeys={canCreateSdkKeys} />
        ) : (
          <Figures data={state.data} windowLabel={windowLabel} />
        ))}
    </div>
  );
}

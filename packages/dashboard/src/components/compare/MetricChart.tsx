'use client';

import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';
import styles from './compare.module.css';
import type { ChartPanel, LineDataset } from './datasets';
import { type FigureUnit, formatStep, formatValue } from './format';

// Only what a line chart on a linear time axis needs; the rest of Chart.js stays out of the bundle.
Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);
// The page's own font stack: nothing is fetched, the build and the page work offline.
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", sans-serif';

type LineChart = Chart<'line', LineDataset['data'], string>;

function optionsOf(unit: FigureUnit, withDate: boolean, stepMs: number) {
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false as const,
    interaction: { mode: 'nearest' as const, axis: 'x' as const, intersect: false },
    scales: {
      x: {
        type: 'linear' as const,
        ticks: { maxTicksLimit: 7, callback: (value: number | string) => formatStep(Number(value), withDate) },
        grid: { display: false },
      },
      y: {
        type: 'linear' as const,
        beginAtZero: unit !== 'seconds',
        ticks: { maxTicksLimit: 5, callback: (value: number | string) => formatValue(Number(value), unit) },
      },
    },
    plugins: {
      legend: { display: false },
      tooltip: {
        callbacks: {
          title: (items: { parsed: { x: number | null } }[]) =>
            items[0]?.parsed.x == null ? '' : `${formatStep(items[0].parsed.x, withDate)} (+${stepMs / 60_000} min)`,
          label: (item: { dataset: { label?: string }; parsed: { y: number | null } }) =>
            `${item.dataset.label ?? ''}: ${item.parsed.y === null ? 'no data' : formatValue(item.parsed.y, unit)}`,
        },
      },
    },
  };
}

/**
 * One time series chart. The canvas is an image whose accessible name is the panel's summary in words, and
 * the numbers are in a table under it; Chart.js updates in place when a refresh brings new data.
 */
export function MetricChart({ panel, withDate, stepMs }: { panel: ChartPanel; withDate: boolean; stepMs: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<LineChart | null>(null);

  const { unit, datasets, range } = panel;

  // The chart is rebuilt only when its axes change; new data goes through update() below.
  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, { type: 'line', data: { datasets: [] }, options: optionsOf(unit, withDate, stepMs) });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [unit, withDate, stepMs]);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    current.data.datasets = datasets.map((d) => ({ ...d }));
    const x = current.options.scales?.x;
    if (x) {
      x.min = range.min;
      x.max = range.max;
    }
    current.update('none');
  }, [datasets, range.min, range.max]);

  return (
    <figure className={styles.chart} data-chart={panel.id}>
      <h3 id={`chart-${panel.id}`}>{panel.title}</h3>
      <div className={styles.canvasBox}>
        <canvas ref={canvas} role="img" aria-label={panel.summary} aria-describedby={`chart-${panel.id}`} />
      </div>
      <details>
        <summary>Data table</summary>
        <table>
          <caption className="sr-only">{panel.title} per step</caption>
          <thead>
            <tr>
              {panel.table.headers.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {panel.table.rows.map((row) => (
              <tr key={row[0]}>
                {row.map((cell, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                  <td key={i}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

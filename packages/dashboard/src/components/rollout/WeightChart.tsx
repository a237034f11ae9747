'use client';

import { Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';
import { formatStep } from '../compare/format';

/** A tick: with seconds when the whole chart spans under an hour (compressed-time rollouts), with the date past a day. */
function tick(ms: number, spanMs: number): string {
  if (spanMs >= 3_600_000) return formatStep(ms, spanMs >= 86_400_000);
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

import type { WeightPoint } from './weight-series';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip);

type LineChart = Chart<'line', WeightPoint[]>;

/** The candidate's share of traffic over time as a stepped line; the numbers are in the timeline beside it. */
export function WeightChart({ points, candidate }: { points: WeightPoint[]; candidate: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<LineChart | null>(null);
  const span = (points.at(-1)?.x ?? 0) - (points[0]?.x ?? 0);
  // Ticks change format only across these thresholds, so the chart is not rebuilt as the span grows.
  const scale = span >= 86_400_000 ? 86_400_000 : span >= 3_600_000 ? 3_600_000 : 0;

  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart<'line', WeightPoint[]>(canvas.current, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: { type: 'linear', ticks: { maxTicksLimit: 6, callback: (value) => tick(Number(value), scale) }, grid: { display: false } },
          y: { type: 'linear', min: 0, max: 100, ticks: { callback: (value) => `${value}%` } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              title: (items) => (items[0] ? new Date(items[0].parsed.x ?? 0).toLocaleString() : ''),
              label: (item) => `${candidate}: ${item.parsed.y}%`,
            },
          },
        },
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [candidate, scale]);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    current.data.datasets = [
      { label: candidate, data: points, stepped: 'after', borderColor: '#1a5fb4', backgroundColor: '#1a5fb4', pointRadius: 2 },
    ];
    current.update('none');
  }, [points, candidate]);

  const last = points.at(-1);
  return (
    <figure style={{ margin: '0.5rem 0' }} data-testid="rollout-weight-chart">
      <div style={{ position: 'relative', height: '180px' }}>
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${candidate}'s share of traffic over time${last ? `, now ${last.y}%` : ''}, changing at ${points.length} points`}
        />
      </div>
      <figcaption className="hint">
        {candidate}’s share of the flag’s fallthrough traffic (0 after a rollback, when the flag is off).
      </figcaption>
    </figure>
  );
}

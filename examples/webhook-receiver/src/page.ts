/**
 * A generic webhook page as the control plane sends it (payload `version: 1`, documented in the dashboard's
 * README): the fields a person on call reads. Anything else in the body is ignored.
 */
export interface Page {
  version: number;
  id: string;
  phase: 'trigger' | 'resolve' | 'test';
  incident: string;
  status: string;
  at: string;
  flag: { environment: string; key: string };
  rule: { id: string; name: string; kind: string; severity: string; action: string; scope: string };
  slicesFired?: string[];
  evidence?: {
    decision: string;
    summary: string;
    figure: string;
    threshold: number;
    window: string;
    minSamples: number;
    measurements?: {
      subject: string;
      variant: string;
      value: number | null;
      control: number | null;
      samples: number;
      decision: string;
      why: string;
      delta?: { pValue?: number | null; significant?: boolean } | null;
    }[];
  };
  links?: { flag?: string; alerts?: string };
}

const PHASES = ['trigger', 'resolve', 'test'];

/** The page in a parsed body, or what is wrong with it. */
export function parsePage(body: unknown): Page | string {
  if (typeof body !== 'object' || body === null) return 'not a JSON object';
  const page = body as Partial<Page>;
  if (page.version !== 1) return `unknown payload version ${JSON.stringify(page.version)} (this receiver reads version 1)`;
  if (typeof page.id !== 'string' || !PHASES.includes(page.phase as string)) return 'no id or phase';
  if (typeof page.flag?.key !== 'string' || typeof page.rule?.name !== 'string') return 'no flag or rule';
  return page as Page;
}

const num = (value: number | null | undefined) => (value === null || value === undefined ? '—' : Number(value.toPrecision(4)).toString());

/** The page as a few aligned lines: what fired, on which flag and variant, the values, and where to look. */
export function formatPage(page: Page): string {
  const title = page.phase === 'test' ? 'TEST' : page.phase === 'trigger' ? 'FIRING' : 'RESOLVED';
  const { rule, evidence } = page;
  const lines = [
    `━━ flaglens page: ${title} · ${rule.severity} · ${page.at} ━━`,
    `  flag       ${page.flag.key} (environment ${page.flag.environment})`,
    `  rule       ${rule.name} (${rule.kind}, action: ${rule.action})`,
  ];
  if (page.slicesFired?.length) lines.push(`  slices     a slice fired, not the whole variant: ${page.slicesFired.join(', ')}`);
  if (evidence) {
    lines.push(`  decision   ${evidence.decision}: ${evidence.summary}`);
    lines.push(
      `  figure     ${evidence.figure}, threshold ${num(evidence.threshold)}, window ${evidence.window}, min samples ${evidence.minSamples}`,
    );
    for (const m of evidence.measurements ?? []) {
      const p = m.delta?.pValue === undefined || m.delta?.pValue === null ? '' : `, p=${num(m.delta.pValue)}`;
      lines.push(
        `  variant    ${m.variant}: ${num(m.value)} vs control ${num(m.control)} (${m.samples} samples${p}) → ${m.decision}: ${m.why}`,
      );
    }
  }
  if (page.links?.flag) lines.push(`  flag page  ${page.links.flag}`);
  if (page.links?.alerts) lines.push(`  alerts     ${page.links.alerts}`);
  lines.push(`  incident   ${page.incident} · id ${page.id} · signature ok`);
  return lines.join('\n');
}

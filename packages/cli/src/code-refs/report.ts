import type { CodeRef } from './find.js';

/** What a scan found, compared with an environment's flag set when one was given. */
export interface CodeRefsReport {
  root: string;
  scannedAt: string;
  files: number;
  refs: CodeRef[];
  /** The environment compared with; null when no flag set was available. */
  environment: string | null;
  /** Keys the code uses that the flag set does not define, with where. */
  undefinedFlags: { flag: string; refs: CodeRef[] }[];
  /** Flags the set defines that no scanned file references. */
  unreferencedFlags: string[];
}

/** Groups references by key and compares them with the defined keys (when known). */
export function compareRefs(
  refs: readonly CodeRef[],
  defined: readonly string[] | null,
): Pick<CodeRefsReport, 'undefinedFlags' | 'unreferencedFlags'> {
  if (defined === null) return { undefinedFlags: [], unreferencedFlags: [] };
  const known = new Set(defined);
  const used = new Map<string, CodeRef[]>();
  for (const ref of refs) used.set(ref.flag, [...(used.get(ref.flag) ?? []), ref]);
  return {
    undefinedFlags: [...used]
      .filter(([flag]) => !known.has(flag))
      .map(([flag, at]) => ({ flag, refs: at }))
      .sort((a, b) => a.flag.localeCompare(b.flag)),
    unreferencedFlags: defined.filter((flag) => !used.has(flag)).sort(),
  };
}

const where = (ref: CodeRef) => `${ref.file}:${ref.line}:${ref.column}`;

/** The report as people read it. */
export function renderReport(report: CodeRefsReport): string {
  const flags = new Set(report.refs.map((ref) => ref.flag));
  const lines = [`${report.refs.length} references to ${flags.size} flags in ${report.files} files`];
  for (const flag of [...flags].sort()) {
    lines.push(flag);
    for (const ref of report.refs.filter((entry) => entry.flag === flag)) lines.push(`  ${where(ref)}  ${ref.kind}`);
  }
  if (report.environment === null) return `${lines.join('\n')}\n`;
  if (report.undefinedFlags.length > 0) {
    lines.push(`used in code but not defined in ${report.environment}:`);
    for (const { flag, refs } of report.undefinedFlags) lines.push(`  ${flag}  (${refs.map(where).join(', ')})`);
  }
  if (report.unreferencedFlags.length > 0) {
    lines.push(`defined in ${report.environment} but never referenced:`);
    for (const flag of report.unreferencedFlags) lines.push(`  ${flag}`);
  }
  return `${lines.join('\n')}\n`;
}

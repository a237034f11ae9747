/** The metric types a `# TYPE` line may declare in the Prometheus text format (0.0.4). */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** One sample line: `name{label="value",...} value [timestamp]`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  timestampMs: number | undefined;
  /** 1-based line number, for error messages. */
  line: number;
}

/** A parsed exposition: its samples in order and the declared type of each family. */
export interface Exposition {
  samples: Sample[];
  types: Map<string, MetricType>;
}

/** A line the text format does not allow; `line` is 1-based. */
export class ExpositionError extends Error {
  override readonly name = 'ExpositionError';

  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const METRIC_NAME_PREFIX = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
// Go's strconv.ParseFloat spellings that Prometheus writes: decimals, exponents, NaN, ±Inf.
const FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Inf|inf|NaN|nan)$/;
const TIMESTAMP = /^-?\d{1,16}$/;
const BLANK = /[ \t]+/;

function parseFloatToken(token: string): number | undefined {
  if (!FLOAT.test(token)) return undefined;
  if (/inf$/i.test(token)) return token.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number(token);
}

/** Reads `{a="x",b="y"}` starting at the `{` at `start`; returns the labels and the index after `}`. */
function parseLabels(text: string, start: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  const skipBlanks = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  for (;;) {
    skipBlanks();
    if (text[i] === '}') return { labels, end: i + 1 };
    LABEL_NAME.lastIndex = i;
    const name = LABEL_NAME.exec(text)?.[0];
    if (!name) throw new ExpositionError(line, `expected a label name at column ${i + 1}`);
    if (Object.hasOwn(labels, name)) throw new ExpositionError(line, `label "${name}" appears twice`);
    i += name.length;
    skipBlanks();
    if (text[i] !== '=') throw new ExpositionError(line, `expected "=" after label "${name}"`);
    i++;
    skipBlanks();
    if (text[i] !== '"') throw new ExpositionError(line, `label "${name}" needs a double-quoted value`);
    let value = '';
    for (i++; ; i++) {
      // Most values have no escapes: copy up to the next quote or backslash in one slice.
      const quote = text.indexOf('"', i);
      const backslash = text.indexOf('\\', i);
      if (quote === -1 && backslash === -1) throw new ExpositionError(line, `label "${name}" has an unterminated value`);
      if (backslash === -1 || (quote !== -1 && quote < backslash)) {
        value += text.slice(i, quote);
        i = quote;
        break;
      }
      value += text.slice(i, backslash);
      i = backslash;
      // The text format defines exactly three escapes in label values.
      const escaped = text[++i];
      if (escaped === '\\' || escaped === '"') value += escaped;
      else if (escaped === 'n') value += '\n';
      else throw new ExpositionError(line, `label "${name}" has an invalid escape "\\${escaped ?? ''}"`);
    }
    labels[name] = value;
    i++;
    skipBlanks();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new ExpositionError(line, `expected "," or "}" after label "${name}"`);
  }
}

/** A sample line's name and labels: everything before its value. */
interface SeriesHead {
  name: string;
  labels: Record<string, string>;
  /** Name and labels in name order (values quoted, so unambiguous): what makes two lines one series. */
  identity: string;
}

// A service pushes the same series every time, only with new values, so each distinct head is parsed
// once (about 1 ms of a 600-sample push). Bounded: emptied when full.
const heads = new Map<string, SeriesHead>();
const MAX_HEADS = 50_000;

function identityOf(name: string, labels: Readonly<Record<string, string>>): string {
  let identity = name;
  for (const label of Object.keys(labels).sort()) identity += `,${label}=${JSON.stringify(labels[label])}`;
  return identity;
}

/**
 * Reads the head of a line (trimmed at the start) and returns where it ends. A head with labels ends
 * at the line's last `}` (a value or timestamp holds none), so a head parsed before is found by that
 * text; its parse depends on nothing after it.
 */
function parseHead(trimmed: string, line: number): { head: SeriesHead; end: number } {
  const close = trimmed.lastIndexOf('}');
  const cached = close === -1 ? undefined : heads.get(trimmed.slice(0, close + 1));
  if (cached) return { head: cached, end: close + 1 };
  const name = METRIC_NAME_PREFIX.exec(trimmed)?.[0];
  if (!name) throw new ExpositionError(line, 'expected a metric name');
  const rest = trimmed.slice(name.length);
  if (!rest.trimStart().startsWith('{')) return { head: { name, labels: {}, identity: name }, end: name.length };
  const parsed = parseLabels(rest, rest.indexOf('{'), line);
  // Frozen: every sample with this head shares the one object.
  const head = { name, labels: Object.freeze(parsed.labels), identity: identityOf(name, parsed.labels) };
  const end = name.length + parsed.end;
  if (heads.size >= MAX_HEADS) heads.clear();
  heads.set(trimmed.slice(0, end), head);
  return { head, end };
}

function parseSample(text: string, line: number): { sample: Sample; identity: string } {
  const trimmed = text.trimStart();
  const { head, end } = parseHead(trimmed, line);
  const { name, labels, identity } = head;
  const tokens = trimmed.slice(end).trim().split(BLANK);
  if (tokens[0] === '') throw new ExpositionError(line, `sample "${name}" has no value`);
  if (tokens.length > 2) throw new ExpositionError(line, `unexpected text after the timestamp of "${name}"`);
  const value = parseFloatToken(tokens[0] ?? '');
  if (value === undefined) throw new ExpositionError(line, `"${tokens[0]}" is not a number`);
  const stamp = tokens[1];
  if (stamp !== undefined && !TIMESTAMP.test(stamp)) throw new ExpositionError(line, `"${stamp}" is not a timestamp in milliseconds`);
  return { sample: { name, labels, value, timestampMs: stamp === undefined ? undefined : Number(stamp), line }, identity };
}

/** `# HELP` and `# TYPE` lines; other comments are ignored, as the format says. */
function parseDirective(text: string, line: number, types: Map<string, MetricType>, seen: ReadonlySet<string>): void {
  const [, keyword, name, ...rest] = text.split(BLANK);
  if (keyword !== 'HELP' && keyword !== 'TYPE') return;
  if (!name || !METRIC_NAME.test(name)) throw new ExpositionError(line, `# ${keyword} needs a valid metric name`);
  if (keyword === 'HELP') return;
  const type = rest.join(' ');
  if (!TYPES.has(type)) throw new ExpositionError(line, `unknown metric type "${type}" for "${name}"`);
  if (types.has(name)) throw new ExpositionError(line, `second # TYPE line for "${name}"`);
  const family = [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (family.some((member) => seen.has(member))) throw new ExpositionError(line, `# TYPE for "${name}" comes after its samples`);
  types.set(name, type as MetricType);
}

/**
 * Parses the Prometheus text exposition format 0.0.4 strictly: a line that breaks the format throws
 * an {@link ExpositionError} naming the line, instead of being skipped, because a half-read push
 * would turn into wrong deltas.
 */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, MetricType>();
  const seenNames = new Set<string>();
  const seenSeries = new Set<string>();
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNumber = index + 1;
    const start = content.trimStart();
    if (start === '') continue;
    if (start.startsWith('#')) {
      parseDirective(start, lineNumber, types, seenNames);
      continue;
    }
    const { sample, identity } = parseSample(content, lineNumber);
    if (seenSeries.has(identity)) throw new ExpositionError(lineNumber, `series "${sample.name}" appears twice with the same labels`);
    seenSeries.add(identity);
    seenNames.add(sample.name);
    samples.push(sample);
  }
  return { samples, types };
}

import {
  type Condition,
  cumulativeLayout,
  type Flag,
  FlagValidationError,
  type JsonValue,
  parseFlagSet,
  type Serve,
  type Split,
} from '@flaglens/evaluator';
import { importFlagd } from '@flaglens/evaluator/flagd';
import { CliError } from '../exit.js';
import type { FlagsetFile } from './types.js';

// Settings flagd has no field for travel in each flag's metadata as `flaglens.<name>`, so a round trip
// keeps them: text fields as they are, tags joined with commas (a tag cannot hold one), the version.
const TEXT_FIELDS = ['description', 'offVariant', 'owner', 'kind'] as const;
const TAGS = 'flaglens.tags';
const VERSION = 'flaglens.version';
const carried = (name: string) => `flaglens.${name}`;
const SCHEMA = 'https://flagd.dev/schema/v0/flags.json';

type Logic = JsonValue;
type Report = (path: string, problem: string) => undefined;

const COMPARISONS: Partial<Record<Condition['op'], string>> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };
const SEMVER: Partial<Record<Condition['op'], string>> = { semverEq: '=', semverLt: '<', semverLte: '<=', semverGt: '>', semverGte: '>=' };

// The evaluator's path style: `flags.static`, `flags["ai-model"]`.
const member = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`);
const isScalar = (value: JsonValue) => value === null || typeof value !== 'object';
// flaglens: a missing attribute never matches, not even a negated operator. JsonLogic's null would.
// Strict: loose `!=` calls 0 and false absent, and fails on a list.
const present = (attribute: Logic): Logic => ({ '!==': [attribute, null] });
const negated = (attribute: Logic, logic: Logic): Logic => ({ and: [present(attribute), { '!': logic }] });
// flaglens: a list attribute is in a list when one of its elements is; `merge` makes a scalar a list of one.
const anyIn = (attribute: Logic, list: Logic): Logic => ({ some: [{ merge: [attribute] }, { in: [{ var: '' }, list] }] });

function conditionLogic(condition: Condition, at: string, report: Report): Logic | undefined {
  const attribute: Logic = { var: condition.attribute ?? 'targetingKey' };
  const { op, value } = condition;
  const scalarList = Array.isArray(value) && value.every(isScalar);
  if (op === 'equals' || op === 'notEquals') {
    if (!isScalar(value)) return report(`${at}.value`, `flagd compares only strings, numbers and booleans with "${op}"`);
    const equals: Logic = { '===': [attribute, value] };
    return op === 'equals' ? equals : negated(attribute, equals);
  }
  if (op === 'in' || op === 'notIn') {
    if (!scalarList) return report(`${at}.value`, `flagd's "in" needs a list of strings, numbers or booleans`);
    const within = anyIn(attribute, value);
    return op === 'in' ? within : negated(attribute, within);
  }
  if (op === 'contains' || op === 'notContains') {
    if (typeof value !== 'string') return report(`${at}.value`, `flagd's substring test needs a string`);
    const contains: Logic = { in: [value, attribute] };
    return op === 'contains' ? contains : negated(attribute, contains);
  }
  if (op === 'startsWith' || op === 'endsWith') return { [op === 'startsWith' ? 'starts_with' : 'ends_with']: [attribute, value] };
  // JsonLogic compares a missing attribute as 0 (null < 18); in flaglens it never matches.
  if (COMPARISONS[op]) return { and: [present(attribute), { [COMPARISONS[op]]: [attribute, value] }] };
  if (SEMVER[op]) return { sem_ver: [attribute, SEMVER[op], value] };
  return report(`${at}.op`, `flagd has no counterpart of "${op}"`);
}

function splitLogic(split: Split, bucketBy: string, at: string, report: Report): Logic {
  if (split.layout && JSON.stringify(split.layout) !== JSON.stringify(cumulativeLayout(split.arms))) {
    report(`${at}.layout`, `slots were moved by a reweight; flagd lays arms out cumulatively, so some users would change variant`);
  }
  const buckets: Logic[] = split.arms.map((arm) => [arm.variant, arm.weight]);
  if (split.seed === undefined && bucketBy === 'targetingKey') return { fractional: buckets };
  // Same hash input as a native split: seed (default the flag key) followed by the bucketing value.
  const seed: Logic = split.seed ?? { var: '$flagd.flagKey' };
  return { fractional: [{ cat: [seed, { var: bucketBy }] }, ...buckets] };
}

function serveLogic(serve: Serve, flag: Flag, at: string, report: Report): Logic {
  return serve.split ? splitLogic(serve.split, flag.bucketBy, `${at}.split`, report) : (serve.variant ?? null);
}

function targetingOf(flag: Flag, at: string, report: Report): Logic | undefined {
  if (flag.targeting) return flag.targeting.jsonLogic;
  const branches = flag.rules.flatMap((rule, index) => {
    const path = `${at}.rules[${index}]`;
    const conditions = rule.when.map((condition, n) => conditionLogic(condition, `${path}.when[${n}]`, report) ?? null);
    const when: Logic = conditions.length === 1 ? (conditions[0] ?? null) : { and: conditions };
    return [when, serveLogic(rule.serve, flag, `${path}.serve`, report)];
  });
  const otherwise = flag.fallthrough?.split ? serveLogic(flag.fallthrough, flag, `${at}.fallthrough`, report) : undefined;
  if (branches.length === 0) return otherwise;
  return { if: otherwise === undefined ? branches : [...branches, otherwise] };
}

/** Owner, tags and kind sit beside a flag's definition in the file; the evaluator's schema knows only the definition. */
function splitMetadata(input: Record<string, unknown>) {
  const { owner, tags, kind, ...definition } = input;
  return { definition, about: { owner, tags, kind } };
}

function carriedMetadata(flag: Flag, about: Record<string, unknown>, version: number | undefined): Record<string, string | number> {
  const fields: Record<string, unknown> = { ...flag, ...about };
  const metadata: Record<string, string | number> = {};
  for (const name of TEXT_FIELDS) if (typeof fields[name] === 'string') metadata[carried(name)] = fields[name];
  if (Array.isArray(about.tags) && about.tags.length > 0) metadata[TAGS] = about.tags.join(',');
  if (version !== undefined) metadata[VERSION] = version;
  return metadata;
}

function flagdFlag(key: string, flag: Flag, metadata: Record<string, string | number>, report: Report): Record<string, JsonValue> {
  const at = `flags${member(key)}`;
  if (!flag.enabled && flag.offVariant !== undefined) {
    report(
      `${at}.enabled`,
      `the flag is off and serves offVariant "${flag.offVariant}"; flagd's DISABLED serves the caller's default instead`,
    );
  }
  const targeting = targetingOf(flag, at, report);
  const all = { ...flag.metadata, ...metadata };
  return {
    state: flag.enabled ? 'ENABLED' : 'DISABLED',
    variants: flag.variants,
    defaultVariant: flag.fallthrough?.variant ?? null,
    ...(targeting !== undefined && { targeting }),
    ...(Object.keys(all).length > 0 && { metadata: all }),
  };
}

/**
 * The flag set in flagd's flag definition format. Everything that does not map (operators flagd lacks,
 * segments, moved split layouts, a switched-off flag that serves an off variant) is a CliError naming
 * each path, never a silent loss.
 */
export function toFlagd(file: FlagsetFile): object {
  const split = Object.fromEntries(Object.entries(file.flags).map(([key, input]) => [key, splitMetadata(input)]));
  const definitions = Object.fromEntries(Object.entries(split).map(([key, { definition }]) => [key, definition]));
  const set = parseFlagSet({ flags: definitions, segments: file.segments ?? {} });
  const problems: string[] = [];
  const report: Report = (path, problem) => {
    problems.push(`${path}: ${problem}`);
    return undefined;
  };
  for (const name of Object.keys(set.segments)) report(`segments${member(name)}`, 'flagd has no segments');
  const flags = Object.fromEntries(
    Object.entries(set.flags).map(([key, flag]) => {
      const metadata = carriedMetadata(flag, split[key]?.about ?? {}, file.versions?.[key]);
      return [key, flagdFlag(key, flag, metadata, report)];
    }),
  );
  if (problems.length > 0) throw new CliError(`the flag set does not map to flagd's format (${problems.length} problems)`, 1, problems);
  return { $schema: SCHEMA, flags };
}

/** Whether a parsed document is in flagd's format: every flag has a `state`. */
export function isFlagdDocument(parsed: unknown): boolean {
  if (typeof parsed !== 'object' || parsed === null) return false;
  const flags = (parsed as { flags?: unknown }).flags;
  if (typeof flags !== 'object' || flags === null) return false;
  const values = Object.values(flags);
  return values.length > 0 && values.every((flag) => typeof flag === 'object' && flag !== null && typeof flag.state === 'string');
}

/** A flagd document as a flag set file, with what `toFlagd` put in metadata taken back out. */
export function fromFlagd(parsed: unknown, source: string): FlagsetFile {
  let imported: ReturnType<typeof importFlagd>;
  try {
    imported = importFlagd(parsed as object);
  } catch (error) {
    if (!(error instanceof FlagValidationError)) throw error;
    throw new CliError(
      `${source} is not a valid flagd document`,
      1,
      error.issues.map(({ path, problem }) => `${path}: ${problem}`),
    );
  }
  const file: Required<Pick<FlagsetFile, 'flags' | 'versions'>> = { flags: {}, versions: {} };
  for (const [key, input] of Object.entries(imported.flags)) {
    const { metadata: all = {}, ...flag } = input;
    const metadata: Record<string, string | number | boolean> = {};
    const restored: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(all)) {
      const field = TEXT_FIELDS.find((candidate) => carried(candidate) === name);
      if (field) restored[field] = value;
      else if (name === TAGS) restored.tags = String(value).split(',');
      else if (name === VERSION && typeof value === 'number') file.versions[key] = value;
      else metadata[name] = value;
    }
    file.flags[key] = { ...flag, ...restored, ...(Object.keys(metadata).length > 0 && { metadata }) };
  }
  return file;
}

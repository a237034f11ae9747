// A small semantic-version comparator. The `semver` package parses with a large regex on every
// call; conditions here compare one fixed version against context values, so the fixed side is
// parsed once and context values go through a shared cache.

/** A parsed version: numeric core plus pre-release identifiers (empty for a release). */
export interface Version {
  readonly core: readonly [number, number, number];
  readonly pre: readonly (string | number)[];
}

const pattern = /^[vV]?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/;

/** Parses `1.2.3`, `v1.2.3-rc.1+build`, and partial `1` / `1.2` (missing parts are 0); undefined if not a version. */
export function parseVersion(text: string): Version | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const pre = match[4] ? match[4].split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)) : [];
  return { core: [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)], pre };
}

/** Orders two versions as semver 2.0.0 §11 does: -1, 0 or 1. */
export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a.core[i] as number) - (b.core[i] as number);
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

const CACHE_LIMIT = 4096;
/** Parsed context versions, shared by every condition of every flag. */
const parsed = new Map<string, Version | null>();
let lastRead: string | undefined;
let lastVersion: Version | undefined;

/**
 * Parses a context value through one bounded cache shared by every semver condition: app
 * versions repeat across requests, so most reads skip the regex (semver.gte costs ~240 ns a
 * call, bench micro-benchmark), and one shared cache keeps memory bounded however many flags
 * compare versions.
 */
export function readVersion(value: unknown): Version | undefined {
  if (typeof value !== 'string') return undefined;
  // A request evaluates many flags for one context: its version is usually the one read last.
  if (value === lastRead) return lastVersion;
  let version = parsed.get(value);
  if (version === undefined) {
    version = parseVersion(value) ?? null;
    if (parsed.size >= CACHE_LIMIT) parsed.clear();
    parsed.set(value, version);
  }
  lastRead = value;
  lastVersion = version ?? undefined;
  return lastVersion;
}

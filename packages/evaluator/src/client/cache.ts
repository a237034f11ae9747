import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Marks the file's layout so a future change can be recognised instead of misread. */
const FORMAT = 'flaglens-cache/1';

/** A last-known-good flag set as saved on disk. */
export interface CachedFlagSet {
  /** The set exactly as the control plane sent it; validated again when read. */
  flagSet: unknown;
  /** Its ETag, so the first poll after a restart can get a 304. */
  etag: string | undefined;
  savedAt: Date;
}

/** Reads the cache; a missing file is `undefined`, an unreadable one a reason to log. */
export async function readCache(file: string): Promise<{ ok: true; cached: CachedFlagSet | undefined } | { ok: false; reason: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return { ok: true, cached: undefined };
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'not an object' };
  const { format, flagSet, etag, savedAt } = payload as Record<string, unknown>;
  if (format !== FORMAT || flagSet === undefined) return { ok: false, reason: `not a ${FORMAT} file` };
  const saved = typeof savedAt === 'string' ? new Date(savedAt) : undefined;
  return {
    ok: true,
    cached: {
      flagSet,
      etag: typeof etag === 'string' ? etag : undefined,
      savedAt: saved && !Number.isNaN(saved.getTime()) ? saved : ((await stat(file).catch(() => undefined))?.mtime ?? new Date(0)),
    },
  };
}

/**
 * Writes the cache atomically: a temporary file beside it, then a rename, so a crash mid-write
 * leaves the previous cache intact rather than half a file.
 */
export async function writeCache(file: string, flagSet: unknown, etag: string | undefined, savedAt: Date): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const body = JSON.stringify({ format: FORMAT, etag, savedAt: savedAt.toISOString(), flagSet });
  try {
    // Owner-only: segments may list user IDs.
    await writeFile(temporary, body, { mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}

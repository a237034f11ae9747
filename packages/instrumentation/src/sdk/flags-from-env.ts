import { readFileSync } from 'node:fs';
import { createFlagClient, FlagEvaluator } from '@flaglens/evaluator';
import type { FlagSource } from '@flaglens/evaluator/openfeature';

/** Where a service's flags come from when none is passed in code, and a phrase for the start-up log. */
export interface DefaultFlags {
  readonly flags: FlagEvaluator | FlagSource;
  readonly description: string;
}

/**
 * Flags for a service configured only by environment, in this order:
 * - `FLAGLENS_FLAGS_FILE`: a flag set in the native JSON format, read now, so the first request
 *   already sees it; offline, the network is never used for flags;
 * - `FLAGLENS_URL` with `FLAGLENS_SDK_KEY`: a flag client kept in sync with the control plane, with
 *   `FLAGLENS_CACHE_FILE` as its last-known-good cache when set;
 * - otherwise an empty set: every flag serves the caller's default and routed calls run their
 *   fallback model.
 * An unreadable or invalid file is reported and treated as empty, so it never stops the service.
 */
export function flagsFromEnv(env: NodeJS.ProcessEnv): DefaultFlags {
  const file = env.FLAGLENS_FLAGS_FILE;
  if (file) return flagsFromFile(file);
  const url = env.FLAGLENS_URL;
  const sdkKey = env.FLAGLENS_SDK_KEY;
  if (url && sdkKey) {
    const cacheFile = env.FLAGLENS_CACHE_FILE;
    const client = createFlagClient({ url, sdkKey, ...(cacheFile ? { cacheFile } : {}) });
    return { flags: client, description: `flags synced from ${url}${cacheFile ? ` (cache ${cacheFile})` : ''}` };
  }
  const hint = url ? 'FLAGLENS_URL set without FLAGLENS_SDK_KEY' : 'set FLAGLENS_URL and FLAGLENS_SDK_KEY, or FLAGLENS_FLAGS_FILE';
  return { flags: new FlagEvaluator({ flags: {} }), description: `no flags (${hint}): every flag serves its default` };
}

function flagsFromFile(file: string): DefaultFlags {
  try {
    const evaluator = new FlagEvaluator(JSON.parse(readFileSync(file, 'utf8')));
    const count = Object.keys(evaluator.flagSet?.flags ?? {}).length;
    return { flags: evaluator, description: `${count} flags from ${file}` };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      flags: new FlagEvaluator({ flags: {} }),
      description: `no flags: cannot load ${file} (${reason}); every flag serves its default`,
    };
  }
}

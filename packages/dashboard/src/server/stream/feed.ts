import { EventEmitter } from 'node:events';

const FLAG_CHANGE_ACTIONS = [
  'flag.create',
  'flag.update',
  'flag.delete',
  'flag.rollback',
  'flag.archive',
  'flag.restore',
  // A segment is part of the set SDKs receive: its `key` is the segment's.
  'segment.create',
  'segment.update',
  'segment.delete',
] as const;

/**
 * A committed change to one flag or segment; `version` is its new version (a delete's tombstone version; an
 * archive or restore leaves the version as it was, only whether SDKs get the flag changes).
 */
export interface FlagChange {
  environment: string;
  key: string;
  version: number;
  action: (typeof FLAG_CHANGE_ACTIONS)[number];
}

export type FlagChangeListener = (change: FlagChange) => void;

/**
 * Tells every subscriber — SSE streams on this replica and, on PostgreSQL, on every replica — that a
 * flag changed. Publishing happens after the change's transaction has committed.
 */
export interface ChangeFeed {
  publish(change: FlagChange): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(listener: FlagChangeListener): () => void;
  /**
   * Calls `listener` when changes may have gone unheard (the LISTEN connection dropped and is back),
   * so subscribers re-read what they hold. Returns the function that unsubscribes.
   */
  onResync(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Delivers to every listener; one listener throwing must not starve the rest. */
export function deliver(listeners: Iterable<FlagChangeListener>, change: FlagChange): void {
  for (const listener of listeners) {
    try {
      listener(change);
    } catch (error) {
      console.error('flaglens: change listener failed', error);
    }
  }
}

/** The feed for a single process (PGlite): nothing outside this process can write. */
export function inProcessFeed(): ChangeFeed {
  const emitter = new EventEmitter();
  const listeners = new Set<FlagChangeListener>();
  // One listener per SSE client: thousands are expected, so Node's leak warning does not apply.
  emitter.setMaxListeners(0);
  emitter.on('change', (change: FlagChange) => deliver(listeners, change));
  return {
    async publish(change) {
      emitter.emit('change', change);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // Nothing sits between publisher and listeners here, so no change can go unheard.
    onResync: () => () => {},
    async close() {
      listeners.clear();
      emitter.removeAllListeners();
    },
  };
}

/** Reads a change back from its wire form; anything malformed is dropped rather than trusted. */
export function parseChange(payload: string): FlagChange | undefined {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== 'object' || value === null) return undefined;
    const { environment, key, version, action } = value as Record<string, unknown>;
    if (typeof environment !== 'string' || typeof key !== 'string' || typeof version !== 'number') return undefined;
    const known = FLAG_CHANGE_ACTIONS.find((name) => name === action);
    if (known === undefined) return undefined;
    return { environment, key, version, action: known };
  } catch {
    return undefined;
  }
}

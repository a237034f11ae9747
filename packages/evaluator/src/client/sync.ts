import type { FlagClientLogger, FlagClientStatus } from './types.js';

/** Where a flag set came from; decides whether it is saved to the cache. */
export type Origin = 'stream' | 'poll' | 'cache' | 'file';

/** What the sync loops (remote and offline file) see of the client. */
export interface SyncTarget {
  /** ETag of the set in use, if it came from the control plane or the cache. */
  readonly etag: string | undefined;
  /** A logger that never throws. */
  readonly log: FlagClientLogger;
  /** Validates and swaps in a set; a rejected set is logged and `false` comes back. */
  apply(flagSet: unknown, origin: Origin, etag?: string): boolean;
  /** The control plane confirmed the set in use is current (304, or a stream event with the same etag). */
  confirm(): void;
  /** Reports where the set comes from now. */
  setStatus(status: FlagClientStatus): void;
  /** The control plane could not be reached: a cached set may now satisfy `ready()`. */
  unreachable(reason: string): void;
}

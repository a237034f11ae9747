import type { Workload } from '../workloads.js';

/** One SDK set up for one workload, its contexts built ahead so timing sees evaluation only. */
export interface Subject {
  /** Evaluates every user × flag pair once (users outer, flags inner); returns a checksum so the work stays observable. */
  batch(): number;
  /** The variant served to one user for one flag; undefined when the SDK fell back to the caller's default. */
  variant(user: number, flag: number): string | undefined;
  /** Releases timers or listeners the SDK holds. */
  close(): void;
}

/** How an SDK is set up and evaluated, following its own documentation for local evaluation. */
export interface Adapter {
  readonly name: string;
  readonly role: 'flaglens' | 'anchor' | 'floor';
  prepare(workload: Workload): Promise<Subject>;
}

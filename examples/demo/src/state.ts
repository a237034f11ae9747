import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the demo keeps between runs; secrets, so the file is 0600 in a 0700 folder. */
export interface DemoState {
  /** The first admin token, printed by the control plane once, on its first start. */
  adminToken?: string;
  /** The credit-risk service's SDK key. */
  sdkKey?: string;
  /** The receiver's generic webhook channel and its signing secret (shown once, at creation). */
  webhook?: { id: string; url: string; secret: string };
}

export const stateFile = (dir: string) => join(dir, 'demo-state.json');

/** Creates the demo's folder (0700) if needed. */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

export function readState(dir: string): DemoState {
  const file = stateFile(dir);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoState;
  } catch (error) {
    throw new Error(
      `${file} is not valid JSON (${error instanceof Error ? error.message : error}): fix or delete it, or start with --fresh`,
    );
  }
}

/** Writes the state readable by its owner only (the mode is set again, in case the file existed wider). */
export function writeState(dir: string, state: DemoState): void {
  const file = stateFile(dir);
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dashboard's package folder, where `next start` runs: two levels up both from src/process and dist/process. */
export const DASHBOARD_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Next.js's command-line script as the dashboard resolves it: `node NEXT_BIN start` in {@link DASHBOARD_DIR}. */
export const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

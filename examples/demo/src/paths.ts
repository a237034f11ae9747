import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Where the demo's parts are installed, found through their package names as any consumer would. */
export const DASHBOARD_DIR = packageDir('@flaglens/dashboard');
export const NEXT_BIN = createRequire(join(DASHBOARD_DIR, 'package.json')).resolve('next/dist/bin/next');
export const SERVICE_DIR = packageDir('@flaglens/example-express-inference');
export const TRAFFIC_CLI = join(packageDir('@flaglens/example-traffic'), 'dist/cli.js');
export const RECEIVER_SERVER = join(packageDir('@flaglens/example-webhook-receiver'), 'dist/server.js');

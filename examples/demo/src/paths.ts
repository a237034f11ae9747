import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export { DASHBOARD_DIR, NEXT_BIN } from '@flaglens/dashboard/process';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Where the demo's other parts are installed, found through their package names as any consumer would. */
export const SERVICE_DIR = packageDir('@flaglens/example-express-inference');
export const TRAFFIC_CLI = join(packageDir('@flaglens/example-traffic'), 'dist/cli.js');
export const RECEIVER_SERVER = join(packageDir('@flaglens/example-webhook-receiver'), 'dist/server.js');

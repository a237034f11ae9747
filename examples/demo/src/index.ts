/** The demo's parts as a library, for the end-to-end tests that run the same flag, rules, plan and processes. */
export { ApiError, ManagementApi } from './api.js';
export { type DemoOptions, parseDemoArgs, USAGE, UsageError } from './args.js';
export { type RunningDemo, startDemo } from './demo.js';
export { DASHBOARD_DIR, NEXT_BIN, RECEIVER_SERVER, SERVICE_DIR, TRAFFIC_CLI } from './paths.js';
export { type Part, type PartOptions, startPart } from './processes.js';
export { demoFlag, demoRollout, demoRules, FLAG, seed } from './seed.js';

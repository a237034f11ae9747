/** The traffic generator as a library: what `flaglens-traffic` runs, for tools that start it in-process. */
export {
  durationOption,
  numberOption,
  optionsOrExitCode,
  parseDuration,
  parseTrafficArgs,
  readOptions,
  scenarioOption,
  type TrafficOptions,
  USAGE,
  UsageError,
} from './args.js';
export { progressLine } from './progress.js';
export { type RunHooks, runTraffic, type TrafficStats } from './run.js';
export { SCENARIO_NAMES, type Scenario, type ScenarioName, scenarioOf } from './scenarios.js';

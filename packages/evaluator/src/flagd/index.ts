export type { FlagdDocument, FlagdFlag } from './document.js';
export { type ImportFlagdOptions, importFlagd } from './import.js';
export { type LoadFlagdOptions, loadFlagd } from './load.js';

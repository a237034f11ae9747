export { FlaglensProvider } from './provider.js';
export { type FlaglensProviderOptions, FlagMetadataKey, type FlagSource, type Tracker } from './types.js';

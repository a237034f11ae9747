export { createFlagClient } from './flag-client.js';
export {
  type FlagsEvent,
  FlagsPath,
  flagsFrame,
  HEARTBEAT_FRAME,
  HEARTBEAT_INTERVAL_MS,
  parseFlagsEvent,
  retryFrame,
  StreamEvent,
  StreamPath,
} from './protocol.js';
export type { FlagClient, FlagClientLogger, FlagClientOptions, FlagClientStatus } from './types.js';

export {
  createFlagClient,
  type FlagClient,
  type FlagClientLogger,
  type FlagClientOptions,
  type FlagClientStatus,
  type FlagsEvent,
  FlagsPath,
  flagsFrame,
  HEARTBEAT_FRAME,
  HEARTBEAT_INTERVAL_MS,
  parseFlagsEvent,
  retryFrame,
  StreamEvent,
  StreamPath,
} from './client/index.js';
export * from './core.js';

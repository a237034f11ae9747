import pg from 'pg';
import type { Database } from '../db/database';
import { type ChangeFeed, deliver, type FlagChangeListener, parseChange } from './feed';

const CHANNEL = 'flaglens_flag_changes';
const RECONNECT_MS = 1_000;

/**
 * The feed across replicas: NOTIFY through the shared database, LISTEN on one dedicated connection.
 * A replica hears its own notifications too, so local and remote changes take the same path.
 */
export async function openPostgresFeed(db: Database, connectionString: string): Promise<ChangeFeed> {
  const listeners = new Set<FlagChangeListener>();
  const resyncListeners = new Set<() => void>();
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let listenedBefore = false;

  const reconnectLater = () => {
    client = undefined;
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(reconnectLater);
    }, RECONNECT_MS);
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      const change = parseChange(message.payload);
      if (change) deliver(listeners, change);
    });
    // A lost connection (server restart, failover) ends the client; listen again on a new one.
    next.on('error', () => next.end().catch(() => {}));
    next.on('end', reconnectLater);
    await next.connect();
    await next.query(`listen ${CHANNEL}`);
    client = next;
    // Whatever was notified while no connection listened is lost: subscribers must re-read.
    if (listenedBefore) for (const listener of resyncListeners) runSafely(listener);
    listenedBefore = true;
  }

  await connect();
  return {
    async publish(change) {
      await db.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(change)]);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      listeners.clear();
      resyncListeners.clear();
      await client?.end();
    },
  };
}

function runSafely(listener: () => void): void {
  try {
    listener();
  } catch (error) {
    console.error('flaglens: resync listener failed', error);
  }
}

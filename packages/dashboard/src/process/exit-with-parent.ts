/**
 * Loaded into every process {@link startNodeGroup} starts (`node --import …/exit-with-parent.js`). Those run in
 * their own process groups, so a parent that dies without stopping them (SIGKILL, a crash) would leave them
 * running; instead each stops once its parent is gone: SIGTERM to itself, then SIGKILL to its group after 5 s,
 * as `next start` waits for open connections (a service's flag stream) before it exits.
 */
import { whenParentExits } from './parent.js';

const GRACE_MS = 5_000;

whenParentExits(() => {
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => {
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      // Not a group leader: only itself.
      process.kill(process.pid, 'SIGKILL');
    }
  }, GRACE_MS).unref();
});

import { deleteFlag, putFlag, readFlag } from '@/src/server/flags/service';
import { versionedRoutes } from '@/src/server/http/versioned-routes';

/** A flag of the environment: GET, PUT (create without If-Match, update with it; 409 if stale) and DELETE. */
export const { GET, PUT, DELETE } = versionedRoutes(
  { read: 'flags.read', write: 'flags.write' },
  { read: readFlag, put: putFlag, remove: deleteFlag },
);

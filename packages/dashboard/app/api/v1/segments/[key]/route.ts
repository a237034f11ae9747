import { versionedRoutes } from '@/src/server/http/versioned-routes';
import { deleteSegment, putSegment, readSegment } from '@/src/server/segments/service';

/**
 * A segment of the environment: GET, PUT (create without If-Match, update with it; 409 if stale) and DELETE
 * (409 `segment_in_use` while a flag uses it).
 */
export const { GET, PUT, DELETE } = versionedRoutes(
  { read: 'segments.read', write: 'segments.write' },
  { read: readSegment, put: putSegment, remove: deleteSegment },
);

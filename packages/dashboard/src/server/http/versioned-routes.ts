import type { Permission } from '../auth/policy';
import { environmentOf, type Principal } from '../auth/principal';
import type { ControlPlane } from '../plane';
import { readJson } from './body';
import { type Call, endpoint } from './endpoint';
import { json } from './errors';
import { parseIfMatch, versionTag } from './preconditions';

type Params = { key: string };
type Plane = Pick<ControlPlane, 'db' | 'feed'>;
interface Target {
  environment: string;
  key: string;
  actor: Principal;
  expectedVersion: number | undefined;
}

/** What a versioned resource of an environment (a flag, a segment) offers its routes. */
export interface VersionedService<Stored extends { version: number }> {
  read(plane: Plane, environment: string, key: string): Promise<Stored>;
  put(plane: Plane, target: Target & { input: unknown }): Promise<{ created: boolean; stored: Stored }>;
  remove(plane: Plane, target: Target): Promise<void>;
}

/**
 * GET, PUT and DELETE of `/{key}` for a versioned resource: the version is the ETag; PUT without
 * If-Match creates (409 if it exists) and with `If-Match: "n"` updates version n (409 if stale);
 * DELETE takes If-Match optionally.
 */
export function versionedRoutes<Stored extends { version: number }>(
  permissions: { read: Permission; write: Permission },
  service: VersionedService<Stored>,
) {
  // Both permissions need a role (see POLICY), so endpoint() has turned away callers without one.
  const caller = (call: Call<Permission, Params>) => call.principal as Principal;
  const environment = (call: Call<Permission, Params>) => environmentOf(call.plane.db, caller(call), call.request);
  const target = async (call: Call<Permission, Params>): Promise<Target> => ({
    environment: await environment(call),
    key: call.params.key,
    actor: caller(call),
    expectedVersion: parseIfMatch(call.request.headers.get('if-match')),
  });
  return {
    GET: endpoint<Permission, Params>(permissions.read, async (call) => {
      const stored = await service.read(call.plane, await environment(call), call.params.key);
      return json(200, stored, { etag: versionTag(stored.version) });
    }),
    PUT: endpoint<Permission, Params>(permissions.write, async (call) => {
      const { created, stored } = await service.put(call.plane, { ...(await target(call)), input: await readJson(call.request) });
      return json(created ? 201 : 200, stored, { etag: versionTag(stored.version) });
    }),
    DELETE: endpoint<Permission, Params>(permissions.write, async (call) => {
      await service.remove(call.plane, await target(call));
      return new Response(null, { status: 204 });
    }),
  };
}

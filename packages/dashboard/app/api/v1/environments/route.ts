import { createEnvironment, parseEnvironmentSpec } from '@/src/server/environments/create';
import { listEnvironments } from '@/src/server/environments/store';
import { asObject, readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

/** Every environment in promotion order, each with its position and whether it is protected. */
export const GET = endpoint('environments.read', async ({ plane }) => json(200, { environments: await listEnvironments(plane.db) }));

/** `{ key, name, after? }`: a new environment with a copy of every flag, switched off. */
export const POST = endpoint('environments.manage', async ({ request, principal, plane }) => {
  const environment = await createEnvironment(plane.db, parseEnvironmentSpec(asObject(await readJson(request), 'the body')), principal);
  return json(201, environment, { location: `/api/v1/environments/${environment.key}` });
});

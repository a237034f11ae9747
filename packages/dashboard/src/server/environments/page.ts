import { cookies } from 'next/headers';
import { cache } from 'react';
import { ENVIRONMENT_COOKIE } from '../auth/principal';
import { getControlPlane } from '../plane';
import { DEFAULT_ENVIRONMENT, type Environment, listEnvironments } from './store';

/** The environment a console page shows, and every environment for the switcher. */
export interface PageEnvironments {
  current: Environment;
  environments: Environment[];
}

/**
 * The switcher's choice (its cookie), or production; a cookie naming no environment is ignored, exactly as
 * the API ignores it, so a page and the calls it makes always act on the same environment.
 * Cached per request, because the layout and the page both ask.
 */
export const pageEnvironments = cache(async (): Promise<PageEnvironments> => {
  const environments = await listEnvironments((await getControlPlane()).db);
  const chosen = (await cookies()).get(ENVIRONMENT_COOKIE)?.value;
  const current =
    environments.find((environment) => environment.key === chosen) ??
    environments.find((environment) => environment.key === DEFAULT_ENVIRONMENT);
  if (!current) throw new Error(`the ${DEFAULT_ENVIRONMENT} environment is missing; the schema is not migrated`);
  return { current, environments };
});

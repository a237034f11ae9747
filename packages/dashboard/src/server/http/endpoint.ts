import { authorize, type Permission, type POLICY, type Role } from '../auth/policy';
import { authenticate, type Principal } from '../auth/principal';
import { verifyCsrf } from '../auth/sessions';
import { type ControlPlane, getControlPlane } from '../plane';
import { errorResponse } from './errors';

/** Endpoints that need a role always have a caller; public ones may have none. */
type CallerOf<P extends Permission> = (typeof POLICY)[P] extends { role: Role } ? Principal : Principal | null;

/** What a handler gets once the request has been authenticated and authorised. */
export interface Call<P extends Permission, Params> {
  request: Request;
  params: Params;
  principal: CallerOf<P>;
  plane: ControlPlane;
}

/** A Next.js route handler: plain Request in, Response out, so tests call it directly. */
export type RouteHandler<Params> = (request: Request, context: { params: Promise<Params> }) => Promise<Response>;

/**
 * Declares an endpoint: the permission it needs (see POLICY) and the handler behind it. Authentication,
 * CSRF, authorisation and the error shape happen here, once, for every endpoint.
 */
export function endpoint<P extends Permission, Params = Record<string, never>>(
  permission: P,
  handle: (call: Call<P, Params>) => Promise<Response>,
): RouteHandler<Params> {
  return async (request, context) => {
    try {
      const plane = await getControlPlane();
      const principal = await authenticate(plane.db, request);
      verifyCsrf(request, principal);
      authorize(permission, principal);
      // authorize() has just thrown unless a role-gated permission has a caller.
      return await handle({ request, params: await context.params, principal: principal as CallerOf<P>, plane });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A bounded positive integer query parameter, or its default. */
export function intParam(request: Request, name: string, fallback: number, max: number): number {
  const raw = new URL(request.url).searchParams.get(name);
  const value = raw === null ? fallback : Number(raw);
  return Number.isInteger(value) && value > 0 ? Math.min(value, max) : fallback;
}

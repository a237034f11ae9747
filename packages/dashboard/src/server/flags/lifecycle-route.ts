import { environmentOf } from '../auth/principal';
import { asObject, readJson } from '../http/body';
import { endpoint } from '../http/endpoint';
import { badRequest, json } from '../http/errors';
import { versionTag } from '../http/preconditions';
import type { ControlPlane } from '../plane';
import type { LifecycleResult } from './lifecycle';
import type { FlagTarget } from './service';

type LifecycleAction = (plane: ControlPlane, target: FlagTarget & { note?: string }) => Promise<LifecycleResult>;

/**
 * The handler of `POST /flags/{key}/archive` and `/restore` (editor+): optional body `{ "note" }` (at
 * most 1024 characters, kept in the audit entry); answers `{ changed, ...StoredFlag }`.
 */
export function lifecycleRoute(act: LifecycleAction) {
  return endpoint<'flags.archive', { key: string }>('flags.archive', async ({ request, params, principal, plane }) => {
    const body = await readJson(request, { optional: true });
    const note = body === undefined ? undefined : asObject(body, 'the body').note;
    if (note !== undefined && (typeof note !== 'string' || note.length > 1024))
      throw badRequest('note must be a string of at most 1024 characters');
    const environment = await environmentOf(plane.db, principal, request);
    const { changed, stored } = await act(plane, { environment, key: params.key, actor: principal, note });
    return json(200, { changed, ...stored }, { etag: versionTag(stored.version) });
  });
}

import { environmentOf } from '@/src/server/auth/principal';
import { setFlagMetadata } from '@/src/server/flags/lifecycle';
import { parseMetadata } from '@/src/server/flags/metadata';
import { asObject, readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { versionTag } from '@/src/server/http/preconditions';

type Params = { key: string };

/** Replaces `{ owner, tags, kind }` (a field left out gets its default); the flag's version stays. */
export const PUT = endpoint<'flags.write', Params>('flags.write', async ({ request, params, principal, plane }) => {
  const metadata = parseMetadata(asObject(await readJson(request), 'the body'));
  const environment = await environmentOf(plane.db, principal, request);
  const stored = await setFlagMetadata(plane, { environment, key: params.key, actor: principal, metadata });
  return json(200, stored, { etag: versionTag(stored.version) });
});

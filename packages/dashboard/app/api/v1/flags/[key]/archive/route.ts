import { archiveFlag } from '@/src/server/flags/lifecycle';
import { lifecycleRoute } from '@/src/server/flags/lifecycle-route';

/** Takes the flag out of SDK payloads; optional body `{ "note" }` goes to the audit log. */
export const POST = lifecycleRoute(archiveFlag);

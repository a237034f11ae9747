import { restoreFlag } from '@/src/server/flags/lifecycle';
import { lifecycleRoute } from '@/src/server/flags/lifecycle-route';

/** Serves an archived flag again, exactly as it was; optional body `{ "note" }` goes to the audit log. */
export const POST = lifecycleRoute(restoreFlag);

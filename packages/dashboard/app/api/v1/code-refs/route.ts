import { environmentOf } from '@/src/server/auth/principal';
import { parseScan, SCAN_LIMITS } from '@/src/server/code-refs/scan';
import { replaceScan } from '@/src/server/code-refs/store';
import { readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

/** Replaces the environment's scan of one repository: `{ repository?, commit?, scannedAt, refs: [{ flag, file, line, column, kind }] }`. */
export const PUT = endpoint('code-refs.write', async ({ request, principal, plane }) => {
  const scan = parseScan(await readJson(request, { limit: SCAN_LIMITS.bodyBytes }), Date.now());
  const summary = await replaceScan(plane.db, await environmentOf(plane.db, principal, request), scan, principal);
  return json(200, { ...summary, refs: scan.refs.length, flags: new Set(scan.refs.map((ref) => ref.flag)).size });
});

import * as flagAudit from '@/app/api/v1/flags/[key]/audit/route';
import * as flagRollback from '@/app/api/v1/flags/[key]/rollback/route';
import * as flag from '@/app/api/v1/flags/[key]/route';
import * as flags from '@/app/api/v1/flags/route';
import * as session from '@/app/api/v1/session/route';
import * as stream from '@/app/api/v1/stream/route';
import * as token from '@/app/api/v1/tokens/[id]/route';
import * as tokens from '@/app/api/v1/tokens/route';

/** Every route module of the API, by path. */
export const routes = { flags, flag, flagRollback, flagAudit, tokens, token, session, stream };

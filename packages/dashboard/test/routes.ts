import * as codeRefs from '@/app/api/v1/code-refs/route';
import * as environments from '@/app/api/v1/environments/route';
import * as flagArchive from '@/app/api/v1/flags/[key]/archive/route';
import * as flagAudit from '@/app/api/v1/flags/[key]/audit/route';
import * as flagCodeRefs from '@/app/api/v1/flags/[key]/code-refs/route';
import * as flagMetadata from '@/app/api/v1/flags/[key]/metadata/route';
import * as flagPromote from '@/app/api/v1/flags/[key]/promote/route';
import * as flagRestore from '@/app/api/v1/flags/[key]/restore/route';
import * as flagRollback from '@/app/api/v1/flags/[key]/rollback/route';
import * as flag from '@/app/api/v1/flags/[key]/route';
import * as flags from '@/app/api/v1/flags/route';
import * as flagsStale from '@/app/api/v1/flags/stale/route';
import * as flagsetApply from '@/app/api/v1/flagset/apply/route';
import * as flagset from '@/app/api/v1/flagset/route';
import * as segmentAudit from '@/app/api/v1/segments/[key]/audit/route';
import * as segment from '@/app/api/v1/segments/[key]/route';
import * as segments from '@/app/api/v1/segments/route';
import * as session from '@/app/api/v1/session/route';
import * as stream from '@/app/api/v1/stream/route';
import * as token from '@/app/api/v1/tokens/[id]/route';
import * as tokens from '@/app/api/v1/tokens/route';

/** Every route module of the API, by path. */
export const routes = {
  flags,
  flag,
  flagRollback,
  flagAudit,
  flagMetadata,
  flagArchive,
  flagRestore,
  flagCodeRefs,
  flagsStale,
  codeRefs,
  flagPromote,
  flagset,
  flagsetApply,
  segments,
  segment,
  segmentAudit,
  environments,
  tokens,
  token,
  session,
  stream,
};

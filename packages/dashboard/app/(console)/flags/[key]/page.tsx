import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AuditHistory } from '@/src/components/AuditHistory';
import { FlagTabs } from '@/src/components/compare/FlagTabs';
import { draftOf } from '@/src/components/flag-editor/draft';
import { FlagEditor } from '@/src/components/flag-editor/FlagEditor';
import { RolloutSummary } from '@/src/components/RolloutSummary';
import { hasRole, requireViewer } from '@/src/server/auth/page-session';
import { DEFAULT_ENVIRONMENT } from '@/src/server/auth/principal';
import { readFlagAudit } from '@/src/server/flags/service';
import { findFlag } from '@/src/server/flags/store';
import { FLAG_VOCABULARY } from '@/src/server/flags/vocabulary';
import { getControlPlane } from '@/src/server/plane';

type Params = { key: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${decodeURIComponent((await params).key)} · flaglens` };
}

export default async function FlagPage({ params }: { params: Promise<Params> }) {
  const key = decodeURIComponent((await params).key);
  const viewer = await requireViewer(`/flags/${encodeURIComponent(key)}`);
  const plane = await getControlPlane();
  const stored = await findFlag(plane.db, DEFAULT_ENVIRONMENT, key);
  if (!stored) notFound();
  const audit = await readFlagAudit(plane, DEFAULT_ENVIRONMENT, key, 50);
  const readOnly = !hasRole(viewer, 'editor');
  return (
    <>
      <p className="hint">
        <Link href="/flags">Flags</Link> ›
      </p>
      <h1>{key}</h1>
      <FlagTabs flag={key} current="settings" />
      <div className="row" style={{ alignItems: 'center', marginBottom: '0.75rem' }}>
        <strong>Serving now:</strong> <RolloutSummary flag={stored.flag} />
      </div>
      {readOnly && <p className="callout">You have the viewer role: this flag is read only.</p>}
      <FlagEditor initial={draftOf(key, stored.flag)} vocabulary={FLAG_VOCABULARY} version={stored.version} readOnly={readOnly} />
      <h2 id="history">History</h2>
      <AuditHistory entries={audit} />
    </>
  );
}

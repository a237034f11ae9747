import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AuditHistory } from '@/src/components/AuditHistory';
import { EnvironmentMark } from '@/src/components/environments/EnvironmentMark';
import { SegmentEditor } from '@/src/components/segments/SegmentEditor';
import { segmentInWords } from '@/src/components/segments/words';
import { listSegmentAudit } from '@/src/server/audit/log';
import { hasRole, requireViewer } from '@/src/server/auth/page-session';
import { pageEnvironments } from '@/src/server/environments/page';
import { FLAG_VOCABULARY } from '@/src/server/flags/vocabulary';
import { decoded } from '@/src/server/http/decode';
import { getControlPlane } from '@/src/server/plane';
import { findSegment } from '@/src/server/segments/store';

type Params = { key: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${decoded((await params).key) ?? 'not found'} · segments · flaglens` };
}

/** One segment of the current environment: who it holds, its editor (editors), and its history. */
export default async function SegmentPage({ params }: { params: Promise<Params> }) {
  const key = decoded((await params).key) ?? notFound();
  const viewer = await requireViewer(`/segments/${encodeURIComponent(key)}`);
  const plane = await getControlPlane();
  const { current } = await pageEnvironments();
  const stored = await findSegment(plane.db, current.key, key);
  if (!stored) notFound();
  const readOnly = !hasRole(viewer, 'editor');
  return (
    <>
      <p className="hint">
        <Link href="/segments">Segments</Link> ›
      </p>
      <h1>{key}</h1>
      <EnvironmentMark environment={current.key} />
      <p data-testid="segment-words">
        In {current.name}: {segmentInWords(stored.segment)}.
      </p>
      {readOnly && <p className="callout">You have the viewer role: this segment is read only.</p>}
      <SegmentEditor
        vocabulary={FLAG_VOCABULARY}
        stored={stored}
        readOnly={readOnly}
        protectedEnvironment={current.protected ? current.name : undefined}
      />
      <h2 id="history">History</h2>
      <AuditHistory entries={await listSegmentAudit(plane.db, current.key, key, 50)} />
    </>
  );
}

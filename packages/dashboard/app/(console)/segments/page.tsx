import type { Metadata } from 'next';
import Link from 'next/link';
import { EnvironmentMark } from '@/src/components/environments/EnvironmentMark';
import { SegmentEditor } from '@/src/components/segments/SegmentEditor';
import { segmentInWords } from '@/src/components/segments/words';
import { Table } from '@/src/components/Table';
import { hasRole, requireViewer } from '@/src/server/auth/page-session';
import { pageEnvironments } from '@/src/server/environments/page';
import { FLAG_VOCABULARY } from '@/src/server/flags/vocabulary';
import { getControlPlane } from '@/src/server/plane';
import { listSegments } from '@/src/server/segments/service';

export const metadata: Metadata = { title: 'Segments · flaglens' };

/** The current environment's segments, who each holds in words and which flags use it; editors create new ones here. */
export default async function SegmentsPage() {
  const viewer = await requireViewer('/segments');
  const { current } = await pageEnvironments();
  const segments = await listSegments(await getControlPlane(), current.key);
  const canEdit = hasRole(viewer, 'editor');
  return (
    <>
      <h1>Segments</h1>
      <EnvironmentMark environment={current.key} />
      <p className="hint">
        Named groups of users that flag rules target with <code>inSegment</code> / <code>notInSegment</code>. Each environment has its own;
        these are {current.name}’s.
      </p>
      <Table
        columns={['Segment', 'Who is in it', 'Used by', 'Version']}
        rows={segments}
        aria-label="Segments"
        empty={
          <p className="card sunk" data-testid="segments-empty">
            No segments in {current.name} yet.{' '}
            {canEdit ? 'Create one below, then target it from a flag rule with the “in segment” operator.' : 'An editor can create them.'}
          </p>
        }
      >
        {(entry) => (
          <tr key={entry.key} data-segment={entry.key}>
            <td>
              <Link href={`/segments/${encodeURIComponent(entry.key)}`}>{entry.key}</Link>
              {entry.segment.description && <p className="hint">{entry.segment.description}</p>}
            </td>
            <td>{segmentInWords(entry.segment)}</td>
            <td>
              {entry.usedBy.length === 0 ? (
                <span className="hint">no flag</span>
              ) : (
                entry.usedBy.map((flag, index) => (
                  <span key={flag}>
                    {index > 0 && ', '}
                    <Link href={`/flags/${encodeURIComponent(flag)}`}>{flag}</Link>
                  </span>
                ))
              )}
            </td>
            <td>{entry.version}</td>
          </tr>
        )}
      </Table>
      {canEdit && (
        <>
          <h2>New segment</h2>
          <SegmentEditor vocabulary={FLAG_VOCABULARY} />
        </>
      )}
    </>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { SegmentEditor } from '@/src/components/segments/SegmentEditor';
import { segmentInWords } from '@/src/components/segments/words';
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
  return (
    <>
      <h1>Segments</h1>
      <p className="hint">
        Named groups of users that flag rules target with <code>inSegment</code> / <code>notInSegment</code>. Each environment has its own;
        these are {current.name}’s.
      </p>
      {segments.length === 0 ? (
        <p className="hint">No segments in {current.name} yet.</p>
      ) : (
        <table aria-label="Segments">
          <thead>
            <tr>
              <th scope="col">Segment</th>
              <th scope="col">Who is in it</th>
              <th scope="col">Used by</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {segments.map((entry) => (
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
            ))}
          </tbody>
        </table>
      )}
      {hasRole(viewer, 'editor') && (
        <>
          <h2>New segment</h2>
          <SegmentEditor vocabulary={FLAG_VOCABULARY} />
        </>
      )}
    </>
  );
}

import { findFlagRefs } from '@/src/server/code-refs/store';
import { getControlPlane } from '@/src/server/plane';
import { Table } from '../Table';
import { UtcTime } from '../Time';

/** Where the pushed code scans of the environment reference the flag, or how to push one. */
export async function CodeReferences({ environment, flagKey }: { environment: string; flagKey: string }) {
  const { scans, refs } = await findFlagRefs((await getControlPlane()).db, environment, flagKey);
  return (
    <section aria-labelledby="code-refs-title" data-testid="code-refs">
      <h2 id="code-refs-title">Code references</h2>
      {scans.length === 0 ? (
        <div className="card sunk">
          <p style={{ marginTop: 0 }}>No code scan has been pushed for this environment yet. From a checkout (in CI, on every merge):</p>
          <pre>FLAGLENS_URL=… FLAGLENS_TOKEN=… flaglens code-refs &lt;dir&gt; --push</pre>
        </div>
      ) : (
        <Table
          columns={['Place', 'How', 'Repository', 'Commit', 'Scanned']}
          rows={refs}
          caption={`Where the code reads ${flagKey}`}
          empty={
            <p className="card sunk">
              No references in the scanned code ({scans.map((scan) => scan.repository ?? 'unnamed repository').join(', ')}). If nothing
              reads it, it can be archived.
            </p>
          }
        >
          {(ref) => {
            const scan = scans.find((candidate) => candidate.repository === ref.repository);
            return (
              <tr key={`${ref.repository}:${ref.file}:${ref.line}:${ref.column}`}>
                <td>
                  <code>
                    {ref.file}:{ref.line}:{ref.column}
                  </code>
                </td>
                <td>{ref.kind}</td>
                <td>{ref.repository ?? '—'}</td>
                <td>{scan?.commit ? <code>{scan.commit.slice(0, 12)}</code> : '—'}</td>
                <td className="hint">{scan ? <UtcTime at={scan.scannedAt} /> : '—'}</td>
              </tr>
            );
          }}
        </Table>
      )}
    </section>
  );
}

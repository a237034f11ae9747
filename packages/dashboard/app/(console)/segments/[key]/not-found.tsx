import Link from 'next/link';
import { pageEnvironments } from '@/src/server/environments/page';

/** A segment page for a key the environment does not hold; segments are per environment, so it may live in another. */
export default async function SegmentNotFound() {
  const { current } = await pageEnvironments();
  return (
    <div className="card sunk" data-testid="segment-not-found">
      <h1 style={{ marginTop: 0 }}>No such segment in {current.name}</h1>
      <p>
        Each environment has its own segments: if the link came from another environment, pick it in the header. Otherwise the segment was
        deleted or the link is mistyped; see <Link href="/segments">the segments of {current.name}</Link>.
      </p>
    </div>
  );
}

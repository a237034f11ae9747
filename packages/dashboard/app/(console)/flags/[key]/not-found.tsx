import Link from 'next/link';
import { pageEnvironments } from '@/src/server/environments/page';

/** A flag page (or its comparison) for a key the environment does not hold: say so, and where to go instead of a bare 404. */
export default async function FlagNotFound() {
  const { current } = await pageEnvironments();
  return (
    <div className="card sunk" data-testid="flag-not-found">
      <h1 style={{ marginTop: 0 }}>No such flag in {current.name}</h1>
      <p>
        The link may be mistyped, or the flag was deleted (deleting a flag removes it from every environment; archived flags stay listed).
        Find it in <Link href="/flags?archived=all">the list of flags, archived ones included</Link>.
      </p>
    </div>
  );
}

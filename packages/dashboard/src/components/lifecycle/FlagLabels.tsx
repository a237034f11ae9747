import Link from 'next/link';
import type { StoredFlag } from '@/src/server/flags/store';

/** A list row's owner, kind, tags (each a link to the list filtered by it) and archived mark. */
export function FlagLabels({ stored }: { stored: Pick<StoredFlag, 'owner' | 'kind' | 'tags' | 'archivedAt'> }) {
  return (
    <p className="hint" data-testid="flag-labels">
      {stored.archivedAt && (
        <>
          <span className="badge off">Archived</span>{' '}
        </>
      )}
      {stored.owner ?? 'no owner'} · {stored.kind}
      {stored.tags.map((tag) => (
        <span key={tag}>
          {' '}
          · <Link href={`/flags?tag=${encodeURIComponent(tag)}`}>#{tag}</Link>
        </span>
      ))}
    </p>
  );
}

import type { Metadata } from 'next';
import { newFlagDraft } from '@/src/components/flag-editor/draft';
import { FlagEditor } from '@/src/components/flag-editor/FlagEditor';
import { hasRole, requireViewer } from '@/src/server/auth/page-session';
import { FLAG_VOCABULARY } from '@/src/server/flags/vocabulary';

export const metadata: Metadata = { title: 'New flag · flaglens' };

export default async function NewFlagPage() {
  const viewer = await requireViewer('/flags/new');
  if (!hasRole(viewer, 'editor')) {
    return <p className="callout">Creating flags needs the editor role; you are signed in as {viewer.role}.</p>;
  }
  return (
    <>
      <h1>New flag</h1>
      <p className="hint">
        Name the flag, give it its variants (model configs are JSON), and say who gets which. You can add rules and splits now or later.
      </p>
      <FlagEditor initial={newFlagDraft()} vocabulary={FLAG_VOCABULARY} />
    </>
  );
}

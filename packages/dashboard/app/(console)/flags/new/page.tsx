import type { Metadata } from 'next';
import { EnvironmentMark } from '@/src/components/environments/EnvironmentMark';
import { newFlagDraft } from '@/src/components/flag-editor/draft';
import { FlagEditor } from '@/src/components/flag-editor/FlagEditor';
import { hasRole, requireViewer } from '@/src/server/auth/page-session';
import { pageEnvironments } from '@/src/server/environments/page';
import { FLAG_VOCABULARY } from '@/src/server/flags/vocabulary';

export const metadata: Metadata = { title: 'New flag · flaglens' };

export default async function NewFlagPage() {
  const viewer = await requireViewer('/flags/new');
  if (!hasRole(viewer, 'editor')) {
    return <p className="callout">Creating flags needs the editor role; you are signed in as {viewer.role}.</p>;
  }
  const { current } = await pageEnvironments();
  return (
    <>
      <h1>New flag</h1>
      <EnvironmentMark environment={current.key} />
      <p className="hint">
        Name the flag, give it its variants (model configs are JSON), and say who gets which. You can add rules and splits now or later. It
        is created in {current.name}; every other environment gets it too, turned off.
      </p>
      <FlagEditor initial={newFlagDraft()} vocabulary={FLAG_VOCABULARY} />
    </>
  );
}

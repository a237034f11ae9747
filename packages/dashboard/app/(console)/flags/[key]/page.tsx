import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AuditHistory } from '@/src/components/AuditHistory';
import { AlertsPanel } from '@/src/components/alerts/AlertsPanel';
import { FlagTabs } from '@/src/components/compare/FlagTabs';
import { EnvironmentMark } from '@/src/components/environments/EnvironmentMark';
import { PromotePanel } from '@/src/components/environments/PromotePanel';
import { draftOf } from '@/src/components/flag-editor/draft';
import { FlagEditor } from '@/src/components/flag-editor/FlagEditor';
import { ArchiveControl } from '@/src/components/lifecycle/ArchiveControl';
import { CodeReferences } from '@/src/components/lifecycle/CodeReferences';
import { FlagDetails } from '@/src/components/lifecycle/FlagDetails';
import { RolloutSummary } from '@/src/components/RolloutSummary';
import { RolloutPanel } from '@/src/components/rollout/RolloutPanel';
import { hasRole, requireViewer } from '@/src/server/auth/page-session';
import { chooseControl } from '@/src/server/compare/control';
import { pageEnvironments } from '@/src/server/environments/page';
import { readFlagAudit } from '@/src/server/flags/service';
import { findFlag } from '@/src/server/flags/store';
import { FLAG_VOCABULARY } from '@/src/server/flags/vocabulary';
import { decoded } from '@/src/server/http/decode';
import { getControlPlane } from '@/src/server/plane';

type Params = { key: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${decoded((await params).key) ?? 'not found'} · flaglens` };
}

export default async function FlagPage({ params }: { params: Promise<Params> }) {
  const key = decoded((await params).key) ?? notFound();
  const viewer = await requireViewer(`/flags/${encodeURIComponent(key)}`);
  const plane = await getControlPlane();
  const { current, environments } = await pageEnvironments();
  const stored = await findFlag(plane.db, current.key, key);
  if (!stored) notFound();
  const audit = await readFlagAudit(plane, current.key, key, 50);
  const readOnly = !hasRole(viewer, 'editor');
  const { control } = chooseControl(stored.flag, undefined);
  return (
    <>
      <p className="hint">
        <Link href="/flags">Flags</Link> ›
      </p>
      <h1>{key}</h1>
      <EnvironmentMark environment={current.key} />
      <FlagTabs flag={key} current="settings" />
      <div className="row" style={{ alignItems: 'center', marginBottom: '0.75rem' }} data-testid="serving-now">
        <strong>Serving now in {current.name}:</strong>{' '}
        {stored.archivedAt ? (
          <span>nothing: the flag is archived, so callers get their own default value</span>
        ) : (
          <RolloutSummary flag={stored.flag} />
        )}
      </div>
      {readOnly && <p className="callout">You have the viewer role: this flag is read only.</p>}
      {stored.archivedAt && <ArchiveControl flagKey={key} archivedAt={stored.archivedAt} disabled={readOnly} />}
      <FlagEditor
        initial={draftOf(key, stored.flag)}
        vocabulary={FLAG_VOCABULARY}
        version={stored.version}
        readOnly={readOnly}
        archivedAt={stored.archivedAt}
        protectedEnvironment={current.protected ? current.name : undefined}
      />
      {!readOnly && environments.length > 1 && <PromotePanel flagKey={key} from={current.key} environments={environments} />}
      <RolloutPanel
        flag={key}
        canEdit={!readOnly && !stored.archivedAt}
        whyNot={stored.archivedAt ? 'An archived flag cannot be rolled out: restore it first (at the top of the page).' : undefined}
        control={control}
        candidate={Object.keys(stored.flag.variants).find((v) => v !== control) ?? control}
      />
      <AlertsPanel flag={key} environment={current.key} canEdit={!readOnly} />
      <FlagDetails flagKey={key} stored={stored} canEdit={!readOnly} />
      <CodeReferences environment={current.key} flagKey={key} />
      <h2 id="history">History</h2>
      <AuditHistory entries={audit} />
    </>
  );
}

import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ComparisonView } from '@/src/components/compare/ComparisonView';
import { FlagTabs } from '@/src/components/compare/FlagTabs';
import { windowOf } from '@/src/components/compare/response';
import { EnvironmentMark } from '@/src/components/environments/EnvironmentMark';
import { hasRole, requireViewer } from '@/src/server/auth/page-session';
import { pageEnvironments } from '@/src/server/environments/page';
import { findFlag } from '@/src/server/flags/store';
import { decoded } from '@/src/server/http/decode';
import { getControlPlane } from '@/src/server/plane';

type Params = { key: string };
type Search = { window?: string | string[] };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${decoded((await params).key) ?? 'not found'}: variants compared · flaglens` };
}

/** A flag's variants side by side: the figures come from the compare API, refreshed live in the browser. */
export default async function ComparePage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const key = decoded((await params).key) ?? notFound();
  const viewer = await requireViewer(`/flags/${encodeURIComponent(key)}/compare`);
  const plane = await getControlPlane();
  const { current } = await pageEnvironments();
  const stored = await findFlag(plane.db, current.key, key);
  if (!stored) notFound();
  const window = windowOf((await searchParams).window);
  return (
    <>
      <p className="hint">
        <Link href="/flags">Flags</Link> › <Link href={`/flags/${encodeURIComponent(key)}`}>{key}</Link> ›
      </p>
      <h1>{key}: variants compared</h1>
      <EnvironmentMark environment={current.key} />
      <FlagTabs flag={key} current="compare" />
      <ComparisonView flag={key} initialWindow={window} canCreateSdkKeys={hasRole(viewer, 'admin')} />
    </>
  );
}

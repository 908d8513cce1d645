import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { orNotFound, serverCaller } from '../../../../_trpc/server';
import { VersionPanel } from './version-panel';

export const metadata: Metadata = { title: 'Dataset' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function DatasetVersionPage({ params }: { params: Promise<{ tenantSlug: string; versionId: string }> }) {
  const { tenantSlug, versionId } = await params;
  if (!UUID.test(versionId)) notFound();
  const caller = await serverCaller();
  const dashboard = await orNotFound(caller.tenant.dashboard({ tenantSlug }));
  await orNotFound(caller.datasets.version({ tenantSlug, versionId })); // another tenant's version is not found
  return <VersionPanel tenantSlug={tenantSlug} versionId={versionId} canManage={dashboard.role === 'owner' || dashboard.role === 'admin'} />;
}

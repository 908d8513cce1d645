import type { Metadata } from 'next';
import { orNotFound, serverCaller } from '../../../_trpc/server';
import { DataPanel } from './data-panel';

export const metadata: Metadata = { title: 'Data' };

export default async function DataPage({ params }: { params: Promise<{ tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const dashboard = await orNotFound((await serverCaller()).tenant.dashboard({ tenantSlug }));
  return <DataPanel tenantSlug={tenantSlug} canManage={dashboard.role === 'owner' || dashboard.role === 'admin'} />;
}

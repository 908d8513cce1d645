import type { Metadata } from 'next';
import { orNotFound, serverCaller } from '../../../_trpc/server';
import { MembersPanel } from './members-panel';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const dashboard = await orNotFound((await serverCaller()).tenant.dashboard({ tenantSlug }));
  return <MembersPanel tenantSlug={tenantSlug} role={dashboard.role} />;
}

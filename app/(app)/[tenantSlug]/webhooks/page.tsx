import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { orNotFound, serverCaller } from '../../../_trpc/server';
import { WebhooksPanel } from './webhooks-panel';

export const metadata: Metadata = { title: 'Webhooks' };

export default async function WebhooksPage({ params }: { params: Promise<{ tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const dashboard = await orNotFound((await serverCaller()).tenant.dashboard({ tenantSlug }));
  if (dashboard.role !== 'owner' && dashboard.role !== 'admin') notFound();
  return <WebhooksPanel tenantSlug={tenantSlug} />;
}

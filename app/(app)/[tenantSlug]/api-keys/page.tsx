import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { orNotFound, serverCaller } from '../../../_trpc/server';
import { ApiKeysPanel } from './api-keys-panel';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage({ params }: { params: Promise<{ tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const dashboard = await orNotFound((await serverCaller()).tenant.dashboard({ tenantSlug }));
  if (dashboard.role !== 'owner' && dashboard.role !== 'admin') notFound();
  return <ApiKeysPanel tenantSlug={tenantSlug} />;
}

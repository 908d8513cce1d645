import type { Metadata } from 'next';
import { orNotFound, serverCaller } from '../../../_trpc/server';
import { SettingsForm } from './settings-form';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage({ params }: { params: Promise<{ tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const caller = await serverCaller();
  const dashboard = await orNotFound(caller.tenant.dashboard({ tenantSlug }));
  const settings = await caller.settings.get({ tenantSlug });
  return <SettingsForm tenantSlug={tenantSlug} initial={settings} canEdit={dashboard.role === 'owner' || dashboard.role === 'admin'} />;
}

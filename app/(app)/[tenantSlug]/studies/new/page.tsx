import type { Metadata } from 'next';
import { orNotFound, serverCaller } from '../../../../_trpc/server';
import { StudyForm } from '../study-form';

export const metadata: Metadata = { title: 'New study' };

export default async function NewStudyPage({ params }: { params: Promise<{ tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const caller = await serverCaller();
  await orNotFound(caller.tenant.dashboard({ tenantSlug }));
  const interventions = await caller.studies.interventions({ tenantSlug });
  return <StudyForm tenantSlug={tenantSlug} interventions={interventions.map((i) => i.name)} />;
}

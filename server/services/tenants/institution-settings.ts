/**
 * Institution settings used by the metadata layer and reporting: calendar, census rule (days
 * after term start when a terms file has no census date), normal time to completion per award
 * level, and the minimum cell size below which subgroup results are suppressed.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { institutionSettings, tenants } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { notFound } from '../../errors/app-error';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { TenantActor } from '../members/manage-members';
import { assertRole } from './roles';

export const settingsInput = z.object({
  calendar: z.enum(['semester', 'quarter']),
  censusDayOffset: z.number().int().min(0, 'The census day cannot be before the term starts.').max(60, 'A census day more than 60 days into the term is not plausible.'),
  normalTimeYears: z
    .partialRecord(z.enum(['certificate', 'associate', 'bachelor']), z.number().positive().max(8))
    .refine((value) => Object.keys(value).length > 0, 'Give the normal time to completion for at least one award level.'),
  minCellSize: z.number().int().min(1).max(100),
});
export type InstitutionSettings = z.infer<typeof settingsInput>;

const DEFAULTS = { censusDayOffset: 14, normalTimeYears: { certificate: 1, associate: 2, bachelor: 4 }, minCellSize: 10 };

export async function getInstitutionSettings(db: Db, actor: TenantActor): Promise<InstitutionSettings> {
  return withTenant(db, actor.tenantId, async (tx) => {
    const [tenant] = await tx.select({ calendar: tenants.calendar }).from(tenants).where(eq(tenants.id, actor.tenantId));
    if (!tenant) throw notFound('Institution');
    const [row] = await tx.select().from(institutionSettings).where(eq(institutionSettings.tenantId, actor.tenantId));
    return {
      calendar: tenant.calendar,
      censusDayOffset: row?.censusDayOffset ?? DEFAULTS.censusDayOffset,
      normalTimeYears: (row?.normalTimeYears ?? DEFAULTS.normalTimeYears) as InstitutionSettings['normalTimeYears'],
      minCellSize: row?.minCellSize ?? DEFAULTS.minCellSize,
    };
  });
}

export async function updateInstitutionSettings(db: Db, actor: TenantActor, raw: InstitutionSettings): Promise<InstitutionSettings> {
  assertRole(actor.role, 'admin');
  const input = settingsInput.parse(raw);
  await withTenant(db, actor.tenantId, async (tx) => {
    await tx.update(tenants).set({ calendar: input.calendar }).where(eq(tenants.id, actor.tenantId));
    const values = { censusDayOffset: input.censusDayOffset, normalTimeYears: input.normalTimeYears, minCellSize: input.minCellSize, updatedAt: new Date() };
    await tx
      .insert(institutionSettings)
      .values({ tenantId: actor.tenantId, ...values })
      .onConflictDoUpdate({ target: institutionSettings.tenantId, set: values });
    await recordAuditEvent(tx, { tenantId: actor.tenantId, actorUserId: actor.userId, action: 'settings.updated', ip: actor.ip, metadata: input });
  });
  return input;
}

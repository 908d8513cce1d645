import { getInstitutionSettings, settingsInput, updateInstitutionSettings } from '../../services/tenants/institution-settings';
import { createTRPCRouter, requireRole, tenantProcedure } from '../trpc';

export const settingsRouter = createTRPCRouter({
  get: tenantProcedure.query(({ ctx }) => getInstitutionSettings(ctx.db, ctx.actor)),
  update: tenantProcedure
    .use(requireRole('admin'))
    .input(settingsInput)
    .mutation(({ ctx, input }) => updateInstitutionSettings(ctx.db, ctx.actor, input)),
});

import { createTenant, createTenantInput } from '../../services/tenants/create-tenant';
import { findOutboxMessages, findTenants } from '../../services/tenants/platform-admin';
import { createTRPCRouter, platformAdminProcedure } from '../trpc';

export const adminRouter = createTRPCRouter({
  tenants: platformAdminProcedure.query(({ ctx }) => findTenants(ctx.db)),
  createTenant: platformAdminProcedure
    .input(createTenantInput)
    .mutation(({ ctx, input }) => createTenant(ctx.db, input, { userId: ctx.user.id, ip: ctx.ip })),
  outbox: platformAdminProcedure.query(({ ctx }) => findOutboxMessages(ctx.db)),
});

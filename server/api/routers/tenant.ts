import { createTRPCRouter, protectedProcedure, tenantProcedure } from '../trpc';
import { getDashboard } from '../../services/dashboard/get-dashboard';
import { findUserTenants } from '../../services/tenants/get-tenant-membership';

export const tenantRouter = createTRPCRouter({
  /** The institutions the signed-in user belongs to. */
  mine: protectedProcedure.query(({ ctx }) => findUserTenants(ctx.db, ctx.user.id)),
  dashboard: tenantProcedure.query(({ ctx }) => getDashboard(ctx.db, ctx.actor)),
});

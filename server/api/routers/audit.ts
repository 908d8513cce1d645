import { z } from 'zod';
import { findAuditEvents } from '../../services/audit/find-audit-events';
import { createTRPCRouter, requireRole, tenantProcedure } from '../trpc';

export const auditRouter = createTRPCRouter({
  list: tenantProcedure
    .use(requireRole('admin'))
    .input(z.object({ before: z.number().int().positive().optional(), limit: z.number().int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => findAuditEvents(ctx.db, ctx.actor, input)),
});

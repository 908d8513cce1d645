import { z } from 'zod';
import { cancelRun, findRuns, getRun, startRun } from '../../services/runs/manage-runs';
import { createTRPCRouter, requireRole, tenantProcedure } from '../trpc';

const analyst = tenantProcedure.use(requireRole('analyst'));

export const runsRouter = createTRPCRouter({
  start: analyst.input(z.object({ studyId: z.string().uuid() })).mutation(({ ctx, input }) => startRun(ctx.db, ctx.actor, input.studyId)),
  cancel: analyst.input(z.object({ runId: z.string().uuid() })).mutation(({ ctx, input }) => cancelRun(ctx.db, ctx.actor, input.runId)),
  list: tenantProcedure.input(z.object({ studyId: z.string().uuid() })).query(({ ctx, input }) => findRuns(ctx.db, ctx.actor, input.studyId)),
  get: tenantProcedure.input(z.object({ runId: z.string().uuid() })).query(({ ctx, input }) => getRun(ctx.db, ctx.actor, input.runId)),
});

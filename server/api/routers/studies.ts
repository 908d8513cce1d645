import { z } from 'zod';
import { createStudy, findInterventions, findStudies, getStudy, updateStudy } from '../../services/studies/manage-studies';
import { studySpecSchema } from '../../services/studies/study-spec';
import { createTRPCRouter, requireRole, tenantProcedure } from '../trpc';

const analyst = tenantProcedure.use(requireRole('analyst'));
const studyId = z.object({ studyId: z.string().uuid() });

export const studiesRouter = createTRPCRouter({
  list: tenantProcedure.query(({ ctx }) => findStudies(ctx.db, ctx.actor)),
  get: tenantProcedure.input(studyId).query(({ ctx, input }) => getStudy(ctx.db, ctx.actor, input.studyId)),
  interventions: tenantProcedure.query(({ ctx }) => findInterventions(ctx.db, ctx.actor)),
  create: analyst.input(z.object({ spec: studySpecSchema })).mutation(({ ctx, input }) => createStudy(ctx.db, ctx.actor, input.spec)),
  update: analyst
    .input(studyId.extend({ spec: studySpecSchema }))
    .mutation(({ ctx, input }) => updateStudy(ctx.db, ctx.actor, input.studyId, input.spec)),
});

import { z } from 'zod';
import { datasetStorage } from '../../services/datasets/dataset-storage';
import {
  findDatasets,
  getDatasetVersion,
  getLoadedCounts,
  previewMappingForVersion,
  requestLoad,
  saveMapping,
  suggestMappingForVersion,
} from '../../services/datasets/manage-datasets';
import { createTRPCRouter, requireRole, tenantProcedure } from '../trpc';

const versionInput = z.object({ versionId: z.string().uuid() });
/** The mapping spec is validated by the service (metadata/mapping.ts) with messages per field. */
const specInput = z.object({ nullTokens: z.array(z.string().max(20)).max(50).optional(), assignments: z.array(z.unknown()).max(200) }).passthrough();
const analyst = tenantProcedure.use(requireRole('analyst'));
const admin = tenantProcedure.use(requireRole('admin'));

export const datasetsRouter = createTRPCRouter({
  list: analyst.query(({ ctx }) => findDatasets(ctx.db, ctx.actor)),
  counts: tenantProcedure.query(({ ctx }) => getLoadedCounts(ctx.db, ctx.actor)),
  version: analyst.input(versionInput).query(({ ctx, input }) => getDatasetVersion(ctx.db, ctx.actor, input.versionId)),
  suggestMapping: admin.input(versionInput).query(({ ctx, input }) => suggestMappingForVersion(ctx.db, ctx.actor, input.versionId)),
  previewMapping: admin
    .input(versionInput.extend({ spec: specInput }))
    .mutation(({ ctx, input }) => previewMappingForVersion(ctx.db, datasetStorage(), ctx.actor, input.versionId, input.spec as never)),
  saveMapping: admin
    .input(versionInput.extend({ spec: specInput }))
    .mutation(({ ctx, input }) => saveMapping(ctx.db, ctx.actor, input.versionId, input.spec as never)),
  load: admin.input(versionInput).mutation(({ ctx, input }) => requestLoad(ctx.db, ctx.actor, input.versionId)),
});

import { z } from 'zod';
import { createApiKey, createApiKeyInput, findApiKeys, revokeApiKey } from '../../services/api-keys/manage-api-keys';
import { createTRPCRouter, requireRole, tenantProcedure } from '../trpc';

const adminProcedure = tenantProcedure.use(requireRole('admin'));

export const apiKeysRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => findApiKeys(ctx.db, ctx.actor)),
  create: adminProcedure.input(createApiKeyInput).mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.actor, input)),
  revoke: adminProcedure.input(z.object({ keyId: z.string().uuid() })).mutation(({ ctx, input }) => revokeApiKey(ctx.db, ctx.actor, input.keyId)),
});

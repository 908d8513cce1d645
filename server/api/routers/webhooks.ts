import { z } from 'zod';
import {
  createWebhookEndpoint,
  createWebhookInput,
  deleteWebhookEndpoint,
  findWebhookDeliveries,
  findWebhookEndpoints,
  resendWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
  updateWebhookInput,
} from '../../services/webhooks/manage-webhooks';
import { createTRPCRouter, requireRole, tenantProcedure } from '../trpc';

const adminProcedure = tenantProcedure.use(requireRole('admin'));
const endpointInput = z.object({ endpointId: z.string().uuid() });

export const webhooksRouter = createTRPCRouter({
  list: adminProcedure.query(({ ctx }) => findWebhookEndpoints(ctx.db, ctx.actor)),
  create: adminProcedure.input(createWebhookInput).mutation(({ ctx, input }) => createWebhookEndpoint(ctx.db, ctx.actor, input)),
  update: adminProcedure.input(updateWebhookInput).mutation(({ ctx, input }) => updateWebhookEndpoint(ctx.db, ctx.actor, input)),
  remove: adminProcedure.input(endpointInput).mutation(({ ctx, input }) => deleteWebhookEndpoint(ctx.db, ctx.actor, input.endpointId)),
  rotateSecret: adminProcedure.input(endpointInput).mutation(({ ctx, input }) => rotateWebhookSecret(ctx.db, ctx.actor, input.endpointId)),
  deliveries: adminProcedure.input(endpointInput).query(({ ctx, input }) => findWebhookDeliveries(ctx.db, ctx.actor, input.endpointId)),
  resend: adminProcedure.input(z.object({ deliveryId: z.string().uuid() })).mutation(({ ctx, input }) => resendWebhookDelivery(ctx.db, ctx.actor, input.deliveryId)),
});

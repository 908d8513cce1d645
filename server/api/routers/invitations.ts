import { z } from 'zod';
import { acceptInvitation, getInvitationPreview } from '../../services/invitations/accept-invitation';
import { createTRPCRouter, publicProcedure } from '../trpc';

const link = z.object({ tenantSlug: z.string().min(1).max(64), token: z.string().min(20).max(128) });

export const invitationsRouter = createTRPCRouter({
  preview: publicProcedure.input(link).query(({ ctx, input }) => getInvitationPreview(ctx.db, input.tenantSlug, input.token)),
  accept: publicProcedure
    .input(link.extend({ name: z.string().trim().max(200).optional(), password: z.string().min(1).max(256) }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, { ...input, ip: ctx.ip })),
});

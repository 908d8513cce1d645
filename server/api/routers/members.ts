import { z } from 'zod';
import { membershipRole } from '../../../db/schema';
import { changeMemberRole, findMembers, inviteMember, removeMember, revokeInvitation } from '../../services/members/manage-members';
import { createTRPCRouter, requireRole, tenantProcedure } from '../trpc';

const role = z.enum(membershipRole.enumValues);
const adminProcedure = tenantProcedure.use(requireRole('admin'));

export const membersRouter = createTRPCRouter({
  list: tenantProcedure.query(({ ctx }) => findMembers(ctx.db, ctx.actor)),
  invite: adminProcedure
    .input(z.object({ email: z.string().trim().email('Enter a valid e-mail address.'), role }))
    .mutation(({ ctx, input }) => inviteMember(ctx.db, ctx.actor, { email: input.email, role: input.role })),
  revokeInvitation: adminProcedure
    .input(z.object({ invitationId: z.string().uuid() }))
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, ctx.actor, input.invitationId)),
  changeRole: adminProcedure
    .input(z.object({ userId: z.string().min(1).max(64), role }))
    .mutation(({ ctx, input }) => changeMemberRole(ctx.db, ctx.actor, { userId: input.userId, role: input.role })),
  remove: adminProcedure
    .input(z.object({ userId: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.actor, input.userId)),
});

import { adminRouter } from './routers/admin';
import { auditRouter } from './routers/audit';
import { datasetsRouter } from './routers/datasets';
import { invitationsRouter } from './routers/invitations';
import { membersRouter } from './routers/members';
import { tenantRouter } from './routers/tenant';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  tenant: tenantRouter,
  members: membersRouter,
  audit: auditRouter,
  admin: adminRouter,
  invitations: invitationsRouter,
  datasets: datasetsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

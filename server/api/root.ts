import { adminRouter } from './routers/admin';
import { apiKeysRouter } from './routers/api-keys';
import { auditRouter } from './routers/audit';
import { datasetsRouter } from './routers/datasets';
import { invitationsRouter } from './routers/invitations';
import { membersRouter } from './routers/members';
import { runsRouter } from './routers/runs';
import { settingsRouter } from './routers/settings';
import { studiesRouter } from './routers/studies';
import { tenantRouter } from './routers/tenant';
import { webhooksRouter } from './routers/webhooks';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  tenant: tenantRouter,
  members: membersRouter,
  audit: auditRouter,
  admin: adminRouter,
  invitations: invitationsRouter,
  datasets: datasetsRouter,
  settings: settingsRouter,
  studies: studiesRouter,
  runs: runsRouter,
  apiKeys: apiKeysRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '../../../../server/api/root';
import { createContextInner } from '../../../../server/api/trpc';
import { auth } from '../../../../server/auth';

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: async () => {
      const session = await auth();
      const ip = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || null;
      const user = session?.user?.id
        ? { id: session.user.id, email: session.user.email, isPlatformAdmin: session.user.isPlatformAdmin }
        : null;
      return createContextInner({ user, ip });
    },
  });
}

export { handler as GET, handler as POST };

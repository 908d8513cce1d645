import type { DefaultSession } from 'next-auth';

declare module 'next-auth' {
  interface Session {
    user: { id: string; isPlatformAdmin: boolean } & DefaultSession['user'];
  }
}

declare module '@auth/core/jwt' {
  interface JWT {
    isPlatformAdmin?: boolean;
  }
}

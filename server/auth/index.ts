/**
 * Auth.js (next-auth v5) configuration: e-mail + password (argon2id, throttled, audit-logged),
 * and an OpenID Connect provider for institutional single sign-on when OIDC_* is configured.
 * Sessions are JWTs (required for credentials sign-in); accounts and users live in PostgreSQL
 * through the drizzle adapter.
 */
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { eq } from 'drizzle-orm';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { appDb } from '../../db';
import { accounts, authenticators, sessions, users, verificationTokens } from '../../db/schema';
import { withPlatform } from '../../db/tenant';
import { env, oidcEnabled, type Env } from '../env';
import { recordAuditEvent } from '../services/audit/record-audit-event';
import { verifyCredentials } from '../services/auth/verify-credentials';

export class InvalidCredentials extends CredentialsSignin {
  override code = 'invalid';
}
export class SignInThrottled extends CredentialsSignin {
  override code = 'throttled';
}

const credentialsInput = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(256) });

function clientIp(request: Request | undefined): string | null {
  const forwarded = request?.headers.get('x-forwarded-for');
  return forwarded?.split(',')[0]?.trim() || request?.headers.get('x-real-ip') || null;
}

/** Password sign-in always; OpenID Connect when its three variables are set. */
export function authProviders(config: Env): NextAuthConfig['providers'] {
  const providers: NextAuthConfig['providers'] = [
    Credentials({
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, request) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const result = await verifyCredentials(appDb(), { ...parsed.data, ip: clientIp(request) });
        if (!result.ok) throw result.reason === 'throttled' ? new SignInThrottled() : new InvalidCredentials();
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
  ];
  if (oidcEnabled(config)) {
    providers.push({
      id: 'oidc',
      name: config.OIDC_NAME,
      type: 'oidc',
      issuer: config.OIDC_ISSUER,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
    });
  }
  return providers;
}

function buildConfig(): NextAuthConfig {
  const config = env();
  return {
    adapter: DrizzleAdapter(appDb(), {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
      authenticatorsTable: authenticators,
    }),
    secret: config.AUTH_SECRET,
    trustHost: true,
    session: { strategy: 'jwt', maxAge: 12 * 60 * 60 },
    pages: { signIn: '/sign-in' },
    providers: authProviders(config),
    callbacks: {
      async jwt({ token, user }) {
        if (user?.id) {
          const [row] = await appDb().select({ admin: users.isPlatformAdmin }).from(users).where(eq(users.id, user.id));
          token.sub = user.id;
          token.isPlatformAdmin = row?.admin ?? false;
        }
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        session.user.isPlatformAdmin = token.isPlatformAdmin === true;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const userId = 'token' in message ? message.token?.sub : undefined;
        if (!userId) return;
        await withPlatform(appDb(), (tx) => recordAuditEvent(tx, { tenantId: null, actorUserId: userId, action: 'auth.sign_out' }));
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());

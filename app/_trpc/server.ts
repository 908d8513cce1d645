import 'server-only';
import { TRPCError } from '@trpc/server';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { createCaller } from '../../server/api/root';
import { createContextInner } from '../../server/api/trpc';
import { auth } from '../../server/auth';

export async function currentUser() {
  const session = await auth();
  return session?.user?.id
    ? { id: session.user.id, email: session.user.email, name: session.user.name, isPlatformAdmin: session.user.isPlatformAdmin }
    : null;
}

export async function requestIp(): Promise<string | null> {
  const h = await headers();
  return h.get('x-forwarded-for')?.split(',')[0]?.trim() || h.get('x-real-ip') || null;
}

/** A tRPC caller for server components, with the same context as the HTTP route. */
export async function serverCaller() {
  return createCaller(createContextInner({ user: await currentUser(), ip: await requestIp() }));
}

/**
 * Runs a server-side call for a page: NOT_FOUND becomes the not-found page (another tenant's
 * URL, say) and UNAUTHORIZED the sign-in page (pages render alongside their layout, so a page
 * can ask before the layout's own redirect has happened).
 */
export async function orNotFound<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') notFound();
    if (error instanceof TRPCError && error.code === 'UNAUTHORIZED') redirect('/sign-in');
    throw error;
  }
}

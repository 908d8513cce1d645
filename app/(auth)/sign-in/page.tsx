import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { oidcEnabled, env } from '../../../server/env';
import { currentUser } from '../../_trpc/server';
import { signInWithSso } from './actions';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentUser()) redirect('/');
  const { callbackUrl } = await searchParams;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <h1 className="text-3xl font-semibold text-brand-900">Causeway</h1>
      <p className="mt-2 text-slate-600">Sign in to see whether your programmes work.</p>
      <div className="mt-8 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <SignInForm callbackUrl={callbackUrl ?? '/'} />
        {oidcEnabled() ? (
          <form action={signInWithSso} className="mt-4 border-t border-slate-200 pt-4">
            <button type="submit" className="w-full rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50">
              {env().OIDC_NAME}
            </button>
          </form>
        ) : null}
      </div>
    </main>
  );
}

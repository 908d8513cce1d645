import Link from 'next/link';
import { redirect } from 'next/navigation';
import { SignOutButton } from './_components/sign-out-button';
import { currentUser, serverCaller } from './_trpc/server';

export default async function HomePage() {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  const tenants = await (await serverCaller()).tenant.mine();
  if (tenants.length === 1 && !user.isPlatformAdmin) redirect(`/${tenants[0]!.slug}`);
  return (
    <main className="mx-auto max-w-2xl px-6 py-12">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold text-brand-900">Your institutions</h1>
        <SignOutButton />
      </div>
      {tenants.length === 0 ? (
        <p className="mt-6 text-slate-600">You are not a member of any institution yet. Ask your administrator for an invitation.</p>
      ) : (
        <ul className="mt-6 divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
          {tenants.map((tenant) => (
            <li key={tenant.tenantId}>
              <Link href={`/${tenant.slug}`} className="flex justify-between px-4 py-3 hover:bg-slate-50">
                <span className="font-medium">{tenant.name}</span>
                <span className="text-sm text-slate-500">{tenant.role}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {user.isPlatformAdmin ? (
        <p className="mt-8">
          <Link href="/admin" className="font-medium text-brand-600 hover:underline">
            Platform administration →
          </Link>
        </p>
      ) : null}
    </main>
  );
}

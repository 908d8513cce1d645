import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { SignOutButton } from '../_components/sign-out-button';
import { currentUser, serverCaller } from '../_trpc/server';
import { CreateTenantForm } from './create-tenant-form';

export const metadata: Metadata = { title: 'Platform administration' };

export default async function AdminPage() {
  const user = await currentUser();
  if (!user) redirect('/sign-in?callbackUrl=/admin');
  if (!user.isPlatformAdmin) notFound();
  const caller = await serverCaller();
  const [tenants, outbox] = await Promise.all([caller.admin.tenants(), caller.admin.outbox()]);
  return (
    <main className="mx-auto max-w-5xl space-y-10 px-6 py-10">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold text-brand-900">Platform administration</h1>
        <div className="flex items-center gap-4">
          <Link href="/" className="text-sm text-brand-600 hover:underline">
            Your institutions
          </Link>
          <SignOutButton />
        </div>
      </div>
      <section>
        <h2 className="text-lg font-semibold">Onboard an institution</h2>
        <p className="text-sm text-slate-600">Creates the institution and e-mails its first administrator an invitation (as owner).</p>
        <CreateTenantForm />
      </section>
      <section>
        <h2 className="text-lg font-semibold">Institutions</h2>
        <table className="mt-2 w-full rounded-xl border border-slate-200 bg-white text-sm">
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              <th className="px-4 py-2">Name</th>
              <th className="px-4 py-2">Slug</th>
              <th className="px-4 py-2">Calendar</th>
              <th className="px-4 py-2">Plan</th>
              <th className="px-4 py-2">Created</th>
            </tr>
          </thead>
          <tbody>
            {tenants.map((tenant) => (
              <tr key={tenant.id} className="border-t border-slate-100">
                <td className="px-4 py-2">{tenant.name}</td>
                <td className="px-4 py-2 font-mono">{tenant.slug}</td>
                <td className="px-4 py-2">{tenant.calendar}</td>
                <td className="px-4 py-2">{tenant.plan}</td>
                <td className="px-4 py-2">{tenant.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2 className="text-lg font-semibold">E-mail outbox</h2>
        <p className="text-sm text-slate-600">
          Messages land here when no SMTP server is configured (SMTP_URL). Newest first.
        </p>
        <ul className="mt-2 space-y-3">
          {outbox.map((message) => (
            <li key={message.id} className="rounded-xl border border-slate-200 bg-white p-4 text-sm">
              <p className="font-medium">
                To {message.toAddress}: {message.subject}
              </p>
              <pre className="mt-2 whitespace-pre-wrap font-sans text-slate-700" data-testid="outbox-body">
                {message.textBody}
              </pre>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}

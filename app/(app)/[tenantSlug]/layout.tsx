import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { SignOutButton } from '../../_components/sign-out-button';
import { currentUser, orNotFound, serverCaller } from '../../_trpc/server';

export default async function TenantLayout({ children, params }: { children: ReactNode; params: Promise<{ tenantSlug: string }> }) {
  const { tenantSlug } = await params;
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=/${encodeURIComponent(tenantSlug)}`);
  const dashboard = await orNotFound((await serverCaller()).tenant.dashboard({ tenantSlug }));
  const isAdmin = dashboard.role === 'owner' || dashboard.role === 'admin';
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between px-6 py-3">
          <div className="flex items-center gap-6">
            <Link href="/" className="font-semibold text-brand-900">
              Causeway
            </Link>
            <span className="text-slate-700">{dashboard.tenant.name}</span>
          </div>
          <nav aria-label="Institution" className="flex items-center gap-5 text-sm">
            <Link href={`/${tenantSlug}`} className="hover:text-brand-700">
              Overview
            </Link>
            <Link href={`/${tenantSlug}/studies`} className="hover:text-brand-700">
              Studies
            </Link>
            {dashboard.role !== 'viewer' ? (
              <Link href={`/${tenantSlug}/data`} className="hover:text-brand-700">
                Data
              </Link>
            ) : null}
            <Link href={`/${tenantSlug}/members`} className="hover:text-brand-700">
              Members
            </Link>
            <Link href={`/${tenantSlug}/settings`} className="hover:text-brand-700">
              Settings
            </Link>
            {isAdmin ? (
              <Link href={`/${tenantSlug}/audit`} className="hover:text-brand-700">
                Audit log
              </Link>
            ) : null}
            {isAdmin ? (
              <Link href={`/${tenantSlug}/api-keys`} className="hover:text-brand-700">
                API keys
              </Link>
            ) : null}
            {isAdmin ? (
              <Link href={`/${tenantSlug}/webhooks`} className="hover:text-brand-700">
                Webhooks
              </Link>
            ) : null}
            <span className="text-slate-400">{user.email}</span>
            <SignOutButton />
          </nav>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-6 py-8">{children}</main>
    </div>
  );
}

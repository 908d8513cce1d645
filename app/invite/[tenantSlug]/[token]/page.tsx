import type { Metadata } from 'next';
import { TRPCError } from '@trpc/server';
import { serverCaller } from '../../../_trpc/server';
import { AcceptInvitationForm } from './accept-form';

export const metadata: Metadata = { title: 'Accept invitation' };

export default async function InvitePage({ params }: { params: Promise<{ tenantSlug: string; token: string }> }) {
  const { tenantSlug, token } = await params;
  let preview;
  try {
    preview = await (await serverCaller()).invitations.preview({ tenantSlug, token });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return (
      <main className="mx-auto max-w-md px-6 py-24">
        <h1 className="text-2xl font-semibold text-brand-900">Invitation</h1>
        <p role="alert" className="mt-4 text-slate-700">
          {error.message}
        </p>
      </main>
    );
  }
  return (
    <main className="mx-auto max-w-md px-6 py-16">
      <h1 className="text-2xl font-semibold text-brand-900">Join {preview.tenantName}</h1>
      <p className="mt-2 text-slate-600">
        You were invited as <strong>{preview.role}</strong> with {preview.email}.
      </p>
      <div className="mt-6 rounded-xl border border-slate-200 bg-white p-6">
        <AcceptInvitationForm tenantSlug={tenantSlug} token={token} existingAccount={preview.existingAccount} />
      </div>
    </main>
  );
}

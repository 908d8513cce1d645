'use client';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../_trpc/client';
import { ErrorAlert } from '../../../_components/error-alert';

export function AcceptInvitationForm(props: { tenantSlug: string; token: string; existingAccount: boolean }) {
  const trpc = useTRPC();
  const accept = useMutation(trpc.invitations.accept.mutationOptions());
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    accept.mutate({ tenantSlug: props.tenantSlug, token: props.token, name: name || undefined, password });
  }

  if (accept.isSuccess) {
    return (
      <div role="status" className="space-y-3">
        <p>Welcome! Your account for {accept.data.email} is ready.</p>
        <Link href={`/sign-in?callbackUrl=/${props.tenantSlug}`} className="font-medium text-brand-600 hover:underline">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={submit} className="space-y-4">
      {props.existingAccount ? null : (
        <label className="block">
          <span className="text-sm font-medium">Your name</span>
          <input value={name} onChange={(event) => setName(event.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
      )}
      <label className="block">
        <span className="text-sm font-medium">{props.existingAccount ? 'Your current password' : 'Choose a password (10 characters or more)'}</span>
        <input
          type="password"
          required
          autoComplete={props.existingAccount ? 'current-password' : 'new-password'}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
        />
      </label>
      <ErrorAlert message={accept.error?.message} />
      <button type="submit" disabled={accept.isPending} className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
        Accept invitation
      </button>
    </form>
  );
}

'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../../_trpc/client';
import { ErrorAlert } from '../../../_components/error-alert';

const ROLES = ['viewer', 'analyst', 'admin', 'owner'] as const;
type Role = (typeof ROLES)[number];

export function MembersPanel({ tenantSlug, role }: { tenantSlug: string; role: Role }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.members.list.queryOptions({ tenantSlug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ tenantSlug }) });
  const invite = useMutation(trpc.members.invite.mutationOptions({ onSuccess: refresh }));
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.members.revokeInvitation.mutationOptions({ onSuccess: refresh }));
  const [email, setEmail] = useState('');
  const [inviteRole, setInviteRole] = useState<Role>('analyst');
  const canManage = role === 'owner' || role === 'admin';
  const error = invite.error ?? changeRole.error ?? remove.error ?? revoke.error;

  function submitInvite(event: FormEvent) {
    event.preventDefault();
    invite.mutate({ tenantSlug, email, role: inviteRole }, { onSuccess: () => setEmail('') });
  }

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold text-brand-900">Members</h1>
      <ErrorAlert message={error?.message} />
      {canManage ? (
        <form onSubmit={submitInvite} className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
          <label className="flex-1">
            <span className="text-sm font-medium text-slate-700">Invite by e-mail</span>
            <input
              type="email"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
            />
          </label>
          <label>
            <span className="text-sm font-medium text-slate-700">Role</span>
            <select
              value={inviteRole}
              onChange={(event) => setInviteRole(event.target.value as Role)}
              className="mt-1 block rounded-md border border-slate-300 px-3 py-2"
            >
              {ROLES.filter((r) => r !== 'owner' || role === 'owner').map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={invite.isPending} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
            Send invitation
          </button>
          {invite.isSuccess ? <p className="w-full text-sm text-green-700">Invitation sent to {invite.data.email}.</p> : null}
        </form>
      ) : null}
      {members.isLoading ? <p>Loading…</p> : null}
      {members.data ? (
        <>
          <table className="w-full rounded-xl border border-slate-200 bg-white text-sm">
            <caption className="sr-only">Members</caption>
            <thead className="bg-slate-100 text-left text-slate-600">
              <tr>
                <th className="px-4 py-2">E-mail</th>
                <th className="px-4 py-2">Name</th>
                <th className="px-4 py-2">Role</th>
                {canManage ? <th className="px-4 py-2">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((member) => (
                <tr key={member.userId} className="border-t border-slate-100">
                  <td className="px-4 py-2">{member.email}</td>
                  <td className="px-4 py-2">{member.name ?? ''}</td>
                  <td className="px-4 py-2">
                    {canManage ? (
                      <select
                        aria-label={`Role of ${member.email}`}
                        value={member.role}
                        onChange={(event) => changeRole.mutate({ tenantSlug, userId: member.userId, role: event.target.value as Role })}
                        className="rounded-md border border-slate-300 px-2 py-1"
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    ) : (
                      member.role
                    )}
                  </td>
                  {canManage ? (
                    <td className="px-4 py-2">
                      <button
                        type="button"
                        onClick={() => remove.mutate({ tenantSlug, userId: member.userId })}
                        className="text-red-700 hover:underline"
                      >
                        Remove
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {members.data.pendingInvitations.length > 0 ? (
            <section>
              <h2 className="text-lg font-semibold">Pending invitations</h2>
              <ul className="mt-2 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white text-sm">
                {members.data.pendingInvitations.map((invitation) => (
                  <li key={invitation.id} className="flex items-center justify-between px-4 py-2">
                    <span>
                      {invitation.email} · {invitation.role} · expires {new Date(invitation.expiresAt).toLocaleDateString()}
                    </span>
                    {canManage ? (
                      <button
                        type="button"
                        onClick={() => revoke.mutate({ tenantSlug, invitationId: invitation.id })}
                        className="text-red-700 hover:underline"
                      >
                        Revoke
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

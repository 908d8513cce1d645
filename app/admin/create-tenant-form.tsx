'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../_trpc/client';

const field = 'mt-1 block w-full rounded-md border border-slate-300 px-3 py-2';

export function CreateTenantForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.admin.createTenant.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        router.refresh();
      },
    }),
  );
  const [form, setForm] = useState({ name: '', slug: '', ipedsUnitId: '', calendar: 'semester' as 'semester' | 'quarter', firstAdminEmail: '' });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(form);
  }

  return (
    <form onSubmit={submit} className="mt-3 grid gap-4 rounded-xl border border-slate-200 bg-white p-5 sm:grid-cols-2">
      <label>
        <span className="text-sm font-medium">Institution name</span>
        <input required value={form.name} onChange={set('name')} className={field} />
      </label>
      <label>
        <span className="text-sm font-medium">Slug (used in URLs)</span>
        <input required value={form.slug} onChange={set('slug')} placeholder="state-university" className={field} />
      </label>
      <label>
        <span className="text-sm font-medium">IPEDS unit id (optional)</span>
        <input value={form.ipedsUnitId} onChange={set('ipedsUnitId')} className={field} />
      </label>
      <label>
        <span className="text-sm font-medium">Calendar</span>
        <select value={form.calendar} onChange={set('calendar')} className={field}>
          <option value="semester">Semester</option>
          <option value="quarter">Quarter</option>
        </select>
      </label>
      <label className="sm:col-span-2">
        <span className="text-sm font-medium">First administrator’s e-mail</span>
        <input required type="email" value={form.firstAdminEmail} onChange={set('firstAdminEmail')} className={field} />
      </label>
      <div className="sm:col-span-2">
        <button type="submit" disabled={create.isPending} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          Create institution and invite
        </button>
        {create.error ? (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {create.error.message}
          </p>
        ) : null}
        {create.data ? (
          <p role="status" className="mt-3 text-sm text-green-700">
            Created {create.data.tenant.name}; invitation sent to {create.data.invitation.email}.
          </p>
        ) : null}
      </div>
    </form>
  );
}

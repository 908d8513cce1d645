'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { API_KEY_SCOPES, type ApiKeyScope } from '../../../../server/services/api-keys/scopes';
import { useTRPC } from '../../../_trpc/client';
import { ErrorAlert } from '../../../_components/error-alert';

const EXPIRY_CHOICES = [
  { label: 'Never', days: 0 },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
] as const;

const when = (date: Date | string | null) => (date ? new Date(date).toLocaleString() : '—');

export function ApiKeysPanel({ tenantSlug }: { tenantSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ tenantSlug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey({ tenantSlug }) });
  const create = useMutation(trpc.apiKeys.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['datasets:read', 'studies:read', 'runs:read']);
  const [expiryDays, setExpiryDays] = useState(0);
  const error = create.error ?? revoke.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    const expiresAt = expiryDays > 0 ? new Date(Date.now() + expiryDays * 86_400_000) : undefined;
    create.mutate({ tenantSlug, name, scopes, expiresAt }, { onSuccess: () => setName('') });
  }

  const toggle = (scope: ApiKeyScope) => setScopes((current) => (current.includes(scope) ? current.filter((s) => s !== scope) : [...current, scope]));

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-brand-900">API keys</h1>
        <p className="mt-1 text-sm text-slate-600">
          Keys let your data warehouse, scheduler or dashboards use the Causeway API (<code>Authorization: Bearer …</code>). Each name may hold two
          active keys, so an integration can switch to a new key before the old one is revoked.
        </p>
      </div>
      <ErrorAlert message={error?.message} />
      <form onSubmit={submit} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
        <label className="block">
          <span className="text-sm font-medium text-slate-700">Key name</span>
          <input required maxLength={80} value={name} onChange={(event) => setName(event.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Scopes</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {API_KEY_SCOPES.map((scope) => (
              <label key={scope} className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} />
                {scope}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">Expires</span>
          <select value={expiryDays} onChange={(event) => setExpiryDays(Number(event.target.value))} className="mt-1 block rounded-md border border-slate-300 px-3 py-2">
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.days} value={choice.days}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={create.isPending} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          Create key
        </button>
      </form>
      {create.data ? (
        <section aria-label="New API key" className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm">
          <p className="font-medium">Copy the key for “{create.data.name}” now: it will not be shown again.</p>
          <input
            readOnly
            aria-label="New API key"
            value={create.data.secret}
            onFocus={(event) => event.currentTarget.select()}
            className="mt-2 block w-full rounded-md border border-amber-300 bg-white px-3 py-2 font-mono"
          />
          <button type="button" onClick={() => create.reset()} className="mt-2 text-amber-900 hover:underline">
            I have copied it
          </button>
        </section>
      ) : null}
      {keys.isLoading ? <p>Loading…</p> : null}
      {keys.data ? (
        <table className="w-full rounded-xl border border-slate-200 bg-white text-sm">
          <caption className="sr-only">API keys</caption>
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              <th className="px-4 py-2">Name</th>
              <th className="px-4 py-2">Key</th>
              <th className="px-4 py-2">Scopes</th>
              <th className="px-4 py-2">Last used</th>
              <th className="px-4 py-2">Expires</th>
              <th className="px-4 py-2">Status</th>
              <th className="px-4 py-2">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id} className="border-t border-slate-100">
                <td className="px-4 py-2">{key.name}</td>
                <td className="px-4 py-2 font-mono">
                  {key.prefix}…{key.lastFour}
                </td>
                <td className="px-4 py-2">{key.scopes.join(', ')}</td>
                <td className="px-4 py-2">{when(key.lastUsedAt)}</td>
                <td className="px-4 py-2">{key.expiresAt ? when(key.expiresAt) : 'never'}</td>
                <td className="px-4 py-2">{key.status}</td>
                <td className="px-4 py-2">
                  {key.status === 'active' ? (
                    <button
                      type="button"
                      onClick={() => {
                        if (window.confirm(`Revoke “${key.name}” (${key.prefix}…${key.lastFour})? Requests with it stop working at once.`)) {
                          revoke.mutate({ tenantSlug, keyId: key.id });
                        }
                      }}
                      className="text-red-700 hover:underline"
                    >
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

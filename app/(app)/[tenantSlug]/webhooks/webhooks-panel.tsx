'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { webhookEventTypes, type WebhookEventType } from '../../../../server/services/webhooks/event-types';
import { useTRPC } from '../../../_trpc/client';
import { ErrorAlert } from '../../../_components/error-alert';

const when = (date: Date | string | null) => (date ? new Date(date).toLocaleString() : '—');

const EVENT_HELP: Record<WebhookEventType, string> = {
  'run.completed': 'a study run finished with a result',
  'run.failed': 'a study run failed or was cancelled',
  'dataset.loaded': 'a file was validated and loaded',
  'dataset.failed': 'a file failed validation or loading',
};

function SecretNotice({ title, secret, onDone }: { title: string; secret: string; onDone: () => void }) {
  return (
    <section aria-label="Signing secret" className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm">
      <p className="font-medium">{title}</p>
      <input
        readOnly
        aria-label="Signing secret"
        value={secret}
        onFocus={(event) => event.currentTarget.select()}
        className="mt-2 block w-full rounded-md border border-amber-300 bg-white px-3 py-2 font-mono"
      />
      <button type="button" onClick={onDone} className="mt-2 text-amber-900 hover:underline">
        I have copied it
      </button>
    </section>
  );
}

function DeliveryLog({ tenantSlug, endpointId }: { tenantSlug: string; endpointId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const deliveries = useQuery({ ...trpc.webhooks.deliveries.queryOptions({ tenantSlug, endpointId }), refetchInterval: 5000 });
  const resend = useMutation(
    trpc.webhooks.resend.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.deliveries.queryKey({ tenantSlug, endpointId }) }) }),
  );
  if (deliveries.isLoading) return <p className="text-sm">Loading deliveries…</p>;
  if (!deliveries.data?.length) return <p className="text-sm text-slate-600">No deliveries yet.</p>;
  return (
    <div className="space-y-2">
      <ErrorAlert message={resend.error?.message} />
      <table className="w-full text-sm">
        <caption className="sr-only">Deliveries</caption>
        <thead className="text-left text-slate-600">
          <tr>
            <th className="py-1">Event</th>
            <th className="py-1">Created</th>
            <th className="py-1">Status</th>
            <th className="py-1">Attempts</th>
            <th className="py-1">Actions</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data.map((delivery) => (
            <tr key={delivery.id} className="border-t border-slate-100 align-top">
              <td className="py-1">
                <span className="font-mono">{delivery.eventType}</span>
                <div className="font-mono text-xs text-slate-500">{delivery.eventId}</div>
              </td>
              <td className="py-1">{when(delivery.createdAt)}</td>
              <td className="py-1">
                {delivery.status}
                {delivery.status === 'pending' && delivery.nextAttemptAt ? <div className="text-xs text-slate-500">next try {when(delivery.nextAttemptAt)}</div> : null}
              </td>
              <td className="py-1">
                <ol className="space-y-0.5">
                  {delivery.attemptLog.map((attempt) => (
                    <li key={attempt.id} className={attempt.ok ? 'text-green-800' : 'text-red-800'}>
                      #{attempt.attempt} {attempt.trigger}, {when(attempt.startedAt)}: {attempt.ok ? `${attempt.statusCode} OK` : (attempt.error ?? `HTTP ${attempt.statusCode}`)} ({attempt.durationMs} ms)
                      {attempt.responseSnippet ? <div className="truncate font-mono text-xs text-slate-500">{attempt.responseSnippet}</div> : null}
                    </li>
                  ))}
                </ol>
              </td>
              <td className="py-1">
                <button type="button" disabled={resend.isPending} onClick={() => resend.mutate({ tenantSlug, deliveryId: delivery.id })} className="text-brand-700 hover:underline">
                  Resend
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WebhooksPanel({ tenantSlug }: { tenantSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const endpoints = useQuery(trpc.webhooks.list.queryOptions({ tenantSlug }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey({ tenantSlug }) });
  const create = useMutation(trpc.webhooks.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.webhooks.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.webhooks.remove.mutationOptions({ onSuccess: refresh }));
  const rotate = useMutation(trpc.webhooks.rotateSecret.mutationOptions());
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['run.completed', 'run.failed']);
  const [open, setOpen] = useState<string | null>(null);
  const error = create.error ?? update.error ?? remove.error ?? rotate.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { tenantSlug, url, description, events },
      {
        onSuccess: () => {
          setUrl('');
          setDescription('');
        },
      },
    );
  }
  const toggle = (type: WebhookEventType) => setEvents((current) => (current.includes(type) ? current.filter((t) => t !== type) : [...current, type]));

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-brand-900">Webhooks</h1>
        <p className="mt-1 text-sm text-slate-600">
          Causeway POSTs a JSON event to your endpoint when a run or a dataset load ends. Each request is signed with the endpoint’s secret in the{' '}
          <code>Causeway-Signature</code> header (HMAC-SHA256 over the timestamp and the body); check it before trusting the event. Failed deliveries are
          retried for about 11 hours. See the <a href="/api/v1/docs#webhooks" className="text-brand-700 hover:underline">API documentation</a> for the format
          and a verification example.
        </p>
      </div>
      <ErrorAlert message={error?.message} />
      <form onSubmit={submit} className="space-y-3 rounded-xl border border-slate-200 bg-white p-4">
        <label className="block">
          <span className="text-sm font-medium text-slate-700">Endpoint URL</span>
          <input
            required
            type="url"
            maxLength={2048}
            placeholder="https://example.edu/hooks/causeway"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2"
          />
        </label>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">Description (optional)</span>
          <input maxLength={200} value={description} onChange={(event) => setDescription(event.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          <div className="mt-1 grid gap-1 sm:grid-cols-2">
            {webhookEventTypes.map((type) => (
              <label key={type} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={events.includes(type)} onChange={() => toggle(type)} />
                <span className="font-mono">{type}</span>
                <span className="text-slate-500">— {EVENT_HELP[type]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" disabled={create.isPending} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          Add endpoint
        </button>
      </form>
      {create.data ? <SecretNotice title={`Copy the signing secret for ${create.data.url} now: it will not be shown again.`} secret={create.data.secret} onDone={() => create.reset()} /> : null}
      {rotate.data ? <SecretNotice title="The new signing secret is in use from the next delivery. Copy it now: it will not be shown again." secret={rotate.data.secret} onDone={() => rotate.reset()} /> : null}
      {endpoints.isLoading ? <p>Loading…</p> : null}
      {endpoints.data?.length === 0 ? <p className="text-sm text-slate-600">No endpoints yet.</p> : null}
      <ul className="space-y-4">
        {endpoints.data?.map((endpoint) => (
          <li key={endpoint.id} className="rounded-xl border border-slate-200 bg-white p-4">
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div>
                <p className="font-mono text-sm break-all">{endpoint.url}</p>
                {endpoint.description ? <p className="text-sm text-slate-600">{endpoint.description}</p> : null}
                <p className="text-xs text-slate-500">
                  {endpoint.events.join(', ')} · {endpoint.enabled ? 'enabled' : 'disabled'} · {endpoint.pending} pending · {endpoint.failed} failed · last event{' '}
                  {when(endpoint.lastDeliveryAt)}
                </p>
              </div>
              <div className="flex gap-3 text-sm">
                <button type="button" onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)} className="text-brand-700 hover:underline">
                  {open === endpoint.id ? 'Hide deliveries' : 'Deliveries'}
                </button>
                <button type="button" onClick={() => update.mutate({ tenantSlug, endpointId: endpoint.id, enabled: !endpoint.enabled })} className="text-brand-700 hover:underline">
                  {endpoint.enabled ? 'Disable' : 'Enable'}
                </button>
                <button
                  type="button"
                  onClick={() => {
                    if (window.confirm('Replace the signing secret? Your receiver must use the new one from the next delivery.')) rotate.mutate({ tenantSlug, endpointId: endpoint.id });
                  }}
                  className="text-brand-700 hover:underline"
                >
                  Rotate secret
                </button>
                <button
                  type="button"
                  onClick={() => {
                    if (window.confirm(`Delete the endpoint ${endpoint.url} and its delivery log?`)) remove.mutate({ tenantSlug, endpointId: endpoint.id });
                  }}
                  className="text-red-700 hover:underline"
                >
                  Delete
                </button>
              </div>
            </div>
            {open === endpoint.id ? (
              <div className="mt-3 border-t border-slate-100 pt-3">
                <DeliveryLog tenantSlug={tenantSlug} endpointId={endpoint.id} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

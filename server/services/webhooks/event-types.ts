/** The webhook events (no imports: the portal's client code uses this list too). */
export const webhookEventTypes = ['run.completed', 'run.failed', 'dataset.loaded', 'dataset.failed'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

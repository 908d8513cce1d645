import type { Task } from 'graphile-worker';
import { appDb } from '../../../db';
import { jobCatalog } from '../../../server/jobs/catalog';
import { sendWebhookDelivery } from '../../../server/services/webhooks/send-webhook-delivery';

export const deliverWebhookTask: Task = async (payload) => {
  await sendWebhookDelivery(appDb(), jobCatalog['webhook.deliver'].parse(payload));
};

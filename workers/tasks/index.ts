import type { TaskList } from 'graphile-worker';
import type { JobIdentifier } from '../../server/jobs/catalog';
import { loadDataset } from './datasets/load';
import { profileDataset } from './datasets/profile';
import { sendInvitation } from './email/send-invitation';
import { executeRunTask } from './runs/execute';
import { deliverWebhookTask } from './webhooks/deliver';

/** Every identifier of the job catalog has exactly one handler (checked by the type). */
export const taskList: Record<JobIdentifier, TaskList[string]> = {
  'email.send-invitation': sendInvitation,
  'dataset.profile': profileDataset,
  'dataset.load': loadDataset,
  'run.execute': executeRunTask,
  'webhook.deliver': deliverWebhookTask,
};

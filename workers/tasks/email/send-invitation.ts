import type { Task } from 'graphile-worker';
import { appDb } from '../../../db';
import { jobCatalog } from '../../../server/jobs/catalog';
import { sendInvitationEmail } from '../../../server/services/invitations/send-invitation-email';

export const sendInvitation: Task = async (payload) => {
  await sendInvitationEmail(appDb(), jobCatalog['email.send-invitation'].parse(payload));
};

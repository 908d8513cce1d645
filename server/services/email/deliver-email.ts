/**
 * Sends an e-mail over SMTP when SMTP_URL is configured; otherwise stores it in the outbox
 * (shown to platform administrators) and logs it, so local installs can follow invitation
 * links without a mail server. `dedupeKey` makes a retried job deliver to the outbox once.
 */
import nodemailer from 'nodemailer';
import type { Db } from '../../../db/client';
import { emailOutbox } from '../../../db/schema';
import { env } from '../../env';
import { logger } from '../../logger';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  dedupeKey: string;
}

export async function deliverEmail(db: Db, message: OutgoingEmail): Promise<'smtp' | 'outbox'> {
  const config = env();
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(config.SMTP_URL);
    await transport.sendMail({ from: config.MAIL_FROM, to: message.to, subject: message.subject, text: message.text });
    logger.info('email sent over SMTP', { to: message.to, subject: message.subject });
    return 'smtp';
  }
  await db
    .insert(emailOutbox)
    .values({ toAddress: message.to, subject: message.subject, textBody: message.text, dedupeKey: message.dedupeKey })
    .onConflictDoNothing({ target: emailOutbox.dedupeKey });
  logger.info('email written to the outbox (no SMTP_URL configured)', { to: message.to, subject: message.subject, body: message.text });
  return 'outbox';
}

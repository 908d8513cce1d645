import type { Queryable } from '../../../db/client';
import { auditEvents } from '../../../db/schema';

export type AuditAction =
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'auth.sign_in_throttled'
  | 'auth.sign_out'
  | 'tenant.created'
  | 'invitation.created'
  | 'invitation.accepted'
  | 'invitation.revoked'
  | 'member.role_changed'
  | 'member.removed'
  | 'dataset.uploaded'
  | 'mapping.saved'
  | 'dataset.load_requested'
  | 'dataset.loaded'
  | 'dataset.load_failed'
  | 'settings.updated'
  | 'run.started'
  | 'run.cancelled'
  | 'run.exported'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'webhook.created'
  | 'webhook.updated'
  | 'webhook.deleted'
  | 'webhook.secret_rotated'
  | 'webhook.resent';

export interface AuditEventInput {
  /** Null for platform events (visible only in platform context). */
  tenantId: string | null;
  actorUserId?: string | null;
  action: AuditAction;
  subject?: string | null;
  ip?: string | null;
  metadata?: Record<string, unknown>;
}

/** Records an audit event inside the caller's transaction, so it commits with the change. */
export async function recordAuditEvent(tx: Queryable, event: AuditEventInput): Promise<void> {
  await tx.insert(auditEvents).values({
    tenantId: event.tenantId,
    actorUserId: event.actorUserId ?? null,
    action: event.action,
    subject: event.subject ?? null,
    ip: event.ip ?? null,
    metadata: event.metadata ?? {},
  });
}

import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Liveness of worker processes: each graphile-worker worker writes its id here every few
 * seconds. Jobs locked by a worker whose heartbeat stopped (a killed process) are unlocked so
 * another worker retries them (workers/liveness.ts). Platform-level: no tenant data.
 */
export const workerHeartbeats = pgTable('worker_heartbeats', {
  workerId: text('worker_id').primaryKey(),
  beatAt: timestamp('beat_at', { withTimezone: true }).notNull().defaultNow(),
});

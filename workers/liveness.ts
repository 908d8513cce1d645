/**
 * Recovery of jobs held by a dead worker process. graphile-worker keeps a job locked by its
 * worker until the lock expires (4 hours), so a run whose process was killed would sit
 * "running" that long. Every worker writes a heartbeat; every worker also looks for jobs locked
 * by workers whose heartbeat is older than `deadAfterMs` and unlocks them, so they are retried
 * at once. Handlers are idempotent (a run writes its result with one conditional update), so a
 * job unlocked from a worker that was merely slow still finishes exactly once.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { logger } from '../server/logger';

/** A text[] parameter (drizzle would spread a JS array into a list); worker ids hold no commas. */
const textArray = (values: string[]) => sql`string_to_array(${values.join(',')}, ',')`;

export interface LivenessOptions {
  beatMs: number;
  deadAfterMs: number;
}

export function startLiveness(db: Db, workerIds: () => string[], options: LivenessOptions): () => Promise<void> {
  const beat = async () => {
    const ids = workerIds();
    if (ids.length === 0) return;
    await db.execute(sql`insert into worker_heartbeats (worker_id, beat_at)
      select unnest(${textArray(ids)}), now()
      on conflict (worker_id) do update set beat_at = excluded.beat_at`);
  };
  const reap = async () => {
    const stale = await db.execute<{ locked_by: string }>(sql`
      select distinct j.locked_by from graphile_worker._private_jobs j
      left join worker_heartbeats h on h.worker_id = j.locked_by
      where j.locked_by is not null
        and not (j.locked_by = any(${textArray(workerIds())}))
        and j.locked_at < now() - make_interval(secs => ${options.deadAfterMs / 1000})
        and (h.beat_at is null or h.beat_at < now() - make_interval(secs => ${options.deadAfterMs / 1000}))`);
    const ids = stale.map((row) => row.locked_by);
    if (ids.length === 0) return;
    await db.execute(sql`select graphile_worker.force_unlock_workers(${textArray(ids)})`);
    await db.execute(sql`delete from worker_heartbeats where worker_id = any(${textArray(ids)})`);
    logger.warn('unlocked jobs of workers that stopped', { workers: ids });
  };
  const tick = () => void beat().then(reap).catch((error: unknown) => logger.warn('worker liveness check failed', { error: String(error) }));
  tick();
  const timer = setInterval(tick, options.beatMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    const ids = workerIds();
    if (ids.length) await db.execute(sql`delete from worker_heartbeats where worker_id = any(${textArray(ids)})`).catch(() => undefined);
  };
}

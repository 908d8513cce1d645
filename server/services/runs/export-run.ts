/**
 * Exports of a run's result: JSON (the stored result, minus nothing a viewer may not see) and
 * CSV (the estimate, the balance table and the subgroup table, formula-safe). Subgroup cells
 * below the minimum size were suppressed when the result was written, so exports carry them
 * suppressed too. Every export is audit-logged.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { runs, studies } from '../../../db/schema';
import { withTenant } from '../../../db/tenant';
import { AppError, notFound } from '../../errors/app-error';
import { recordAuditEvent } from '../audit/record-audit-event';
import { csvLine } from '../datasets/csv-export';
import type { TenantActor } from '../members/manage-members';

interface StoredResult {
  headline: string;
  grade: string;
  analysis: { estimate: number; se: number; ci95: [number, number]; pValue: number; balance: { covariate: string; smdBefore: number; smdAfter: number; varianceRatioAfter: number | null; ecdfMaxAfter: number }[] };
  subgroups: { subgroup: string; level: string; participants: number; comparison: number; suppressed: boolean; estimate: number | null; ci95: [number, number] | null }[];
}

export async function exportRun(db: Db, actor: TenantActor, runId: string, format: 'csv' | 'json'): Promise<{ filename: string; contentType: string; body: string }> {
  return withTenant(db, actor.tenantId, async (tx) => {
    const [row] = await tx
      .select({ run: runs, studyName: studies.name })
      .from(runs)
      .innerJoin(studies, eq(studies.id, runs.studyId))
      .where(and(eq(runs.tenantId, actor.tenantId), eq(runs.id, runId)));
    if (!row) throw notFound('Run');
    if (row.run.status !== 'succeeded' || !row.run.result) throw new AppError('CONFLICT', 'This run has no result to export yet.');
    await recordAuditEvent(tx, { tenantId: actor.tenantId, actorUserId: actor.userId, action: 'run.exported', subject: runId, ip: actor.ip, metadata: { format } });
    const base = `${row.studyName.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${runId.slice(0, 8)}`;
    if (format === 'json') {
      return { filename: `${base}.json`, contentType: 'application/json', body: JSON.stringify({ runId, study: row.studyName, spec: row.run.spec, lineage: row.run.lineage, result: row.run.result }, null, 2) };
    }
    const result = row.run.result as unknown as StoredResult;
    const lines = [
      csvLine(['section', 'name', 'value', 'lower', 'upper', 'detail']),
      csvLine(['headline', 'estimate', result.analysis.estimate, result.analysis.ci95[0], result.analysis.ci95[1], result.headline]),
      csvLine(['headline', 'se', result.analysis.se, null, null, `p = ${result.analysis.pValue}`]),
      csvLine(['headline', 'evidence grade', result.grade, null, null, null]),
      ...result.analysis.balance.map((b) => csvLine(['balance', b.covariate, b.smdAfter, null, null, `SMD before ${b.smdBefore}; variance ratio after ${b.varianceRatioAfter ?? ''}; eCDF max after ${b.ecdfMaxAfter}`])),
      ...result.subgroups.map((g) =>
        csvLine(['subgroup', `${g.subgroup}=${g.level}`, g.suppressed ? 'suppressed' : g.estimate, g.ci95?.[0] ?? null, g.ci95?.[1] ?? null, g.suppressed ? 'cell below the minimum size' : `${g.participants} participants / ${g.comparison} others`]),
      ),
    ];
    return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: lines.join('') };
  });
}

/** GET /api/tenants/{slug}/runs/{runId}/export?format=csv|json — audit-logged download of a result. */
import { appDb } from '../../../../../../../db';
import { auth } from '../../../../../../../server/auth';
import { AppError } from '../../../../../../../server/errors/app-error';
import { problemResponse } from '../../../../../../../server/errors/problem-response';
import { exportRun } from '../../../../../../../server/services/runs/export-run';
import { getTenantMembership } from '../../../../../../../server/services/tenants/get-tenant-membership';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function GET(request: Request, { params }: { params: Promise<{ tenantSlug: string; runId: string }> }) {
  const { tenantSlug, runId } = await params;
  const url = new URL(request.url);
  try {
    const session = await auth();
    if (!session?.user?.id) throw new AppError('UNAUTHORIZED', 'Sign in to download results.');
    const membership = await getTenantMembership(appDb(), session.user.id, tenantSlug);
    if (!UUID.test(runId)) throw new AppError('NOT_FOUND', 'Run was not found.');
    const format = url.searchParams.get('format') ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new AppError('BAD_REQUEST', 'Choose format=csv or format=json.');
    const file = await exportRun(appDb(), { tenantId: membership.tenantId, userId: session.user.id, role: membership.role, ip: request.headers.get('x-forwarded-for') }, runId, format);
    return new Response(file.body, { headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` } });
  } catch (error) {
    return problemResponse(error, url.pathname);
  }
}

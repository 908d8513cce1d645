import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error';
import { buildWebhookEvent, runResultPath, webhookEventSchema, webhookEventSchemas, webhookEventTypes } from './webhook-events';

const RUN = { runId: '0b6c7a2e-1c1e-4c4f-9a51-3f3b7a0d9e11', studyId: '5d0f7c64-4f5e-4a8e-9d1c-1d2b3c4d5e6f', studyVersion: 3 };
const DATASET = { datasetVersionId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', datasetId: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9', kind: 'students' as const };
const EVENT_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';
const AT = new Date('2025-01-31T12:00:00.000Z');

describe('webhookEventTypes', () => {
  it('lists the four events, each with a schema', () => {
    expect(webhookEventTypes).toEqual(['run.completed', 'run.failed', 'dataset.loaded', 'dataset.failed']);
    expect(Object.keys(webhookEventSchemas).sort()).toEqual([...webhookEventTypes].sort());
  });
});

describe('buildWebhookEvent', () => {
  it('builds a run.completed body with the envelope in a stable order and a default resultUrl', () => {
    const { body, event } = buildWebhookEvent('run.completed', { tenant: 'state-university', id: EVENT_ID, createdAt: AT, data: { ...RUN, status: 'succeeded', error: null } });
    expect(body).toBe(
      JSON.stringify({
        id: EVENT_ID,
        type: 'run.completed',
        createdAt: '2025-01-31T12:00:00.000Z',
        tenant: 'state-university',
        data: { runId: RUN.runId, studyId: RUN.studyId, studyVersion: 3, status: 'succeeded', error: null, resultUrl: `/api/v1/runs/${RUN.runId}/result` },
      }),
    );
    expect(JSON.parse(body)).toEqual(event);
    expect(webhookEventSchema.parse(JSON.parse(body))).toEqual(event);
  });

  it('makes resultUrl absolute on a base URL and keeps an explicit one', () => {
    const abs = buildWebhookEvent('run.failed', { tenant: 'state-university', baseUrl: 'https://app.causeway.example/', data: { ...RUN, status: 'failed', error: 'Matching found no controls.' } });
    expect(abs.event.data.resultUrl).toBe(`https://app.causeway.example/api/v1/runs/${RUN.runId}/result`);
    expect(abs.event.data.error).toBe('Matching found no controls.');
    const explicit = buildWebhookEvent('run.failed', { tenant: 'state-university', data: { ...RUN, status: 'cancelled', error: null, resultUrl: `https://x.example${runResultPath(RUN.runId)}` } });
    expect(explicit.event.data.resultUrl).toBe(`https://x.example/api/v1/runs/${RUN.runId}/result`);
  });

  it('fills in a fresh uuid and the current time when not given', () => {
    const before = Date.now();
    const a = buildWebhookEvent('dataset.loaded', { tenant: 'state-university', data: { ...DATASET, status: 'loaded', rowCount: 1200, error: null } });
    const b = buildWebhookEvent('dataset.loaded', { tenant: 'state-university', data: { ...DATASET, status: 'loaded', rowCount: 1200, error: null } });
    expect(a.event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.event.id).not.toBe(b.event.id);
    expect(Date.parse(a.event.createdAt)).toBeGreaterThanOrEqual(before);
    expect(a.event.data).toEqual({ ...DATASET, status: 'loaded', rowCount: 1200, error: null });
  });

  it('builds dataset.failed with an error and an unknown row count', () => {
    const { event } = buildWebhookEvent('dataset.failed', { tenant: 'state-university', createdAt: AT.toISOString(), data: { ...DATASET, kind: 'awards', status: 'invalid', rowCount: null, error: 'Row 12: award_date is not a date.' } });
    expect(event).toMatchObject({ type: 'dataset.failed', createdAt: '2025-01-31T12:00:00.000Z', data: { status: 'invalid', rowCount: null, kind: 'awards' } });
  });

  it('refuses events whose data does not fit their type, saying which field', () => {
    const cases: [() => unknown, RegExp][] = [
      // a completed run cannot say failed, nor carry an error
      [() => buildWebhookEvent('run.completed', { tenant: 'state-university', data: { ...RUN, status: 'failed' as never, error: null } }), /data\.status/],
      [() => buildWebhookEvent('run.completed', { tenant: 'state-university', data: { ...RUN, status: 'succeeded', error: 'x' as never } }), /data\.error/],
      [() => buildWebhookEvent('run.failed', { tenant: 'state-university', data: { ...RUN, runId: 'not-a-uuid', status: 'failed', error: null } }), /data\.runId/],
      [() => buildWebhookEvent('run.failed', { tenant: 'state-university', data: { ...RUN, status: 'failed', error: null, resultUrl: '/api/v1/runs/other/result' } }), /data\.resultUrl/],
      [() => buildWebhookEvent('run.failed', { tenant: 'state-university', data: { ...RUN, studyVersion: 0, status: 'failed', error: null } }), /data\.studyVersion/],
      [() => buildWebhookEvent('dataset.loaded', { tenant: 'state-university', data: { ...DATASET, status: 'failed' as never, rowCount: 1, error: null } }), /data\.status/],
      [() => buildWebhookEvent('dataset.loaded', { tenant: 'state-university', data: { ...DATASET, kind: 'courses' as never, status: 'loaded', rowCount: 1, error: null } }), /data\.kind/],
      [() => buildWebhookEvent('dataset.loaded', { tenant: 'state-university', data: { ...DATASET, status: 'loaded', rowCount: -1, error: null } }), /data\.rowCount/],
      [() => buildWebhookEvent('dataset.loaded', { tenant: 'State University', data: { ...DATASET, status: 'loaded', rowCount: 1, error: null } }), /tenant/],
      [() => buildWebhookEvent('dataset.loaded', { tenant: 'state-university', createdAt: 'yesterday', data: { ...DATASET, status: 'loaded', rowCount: 1, error: null } }), /createdAt/],
      [() => buildWebhookEvent('dataset.loaded', { tenant: 'state-university', id: '42', data: { ...DATASET, status: 'loaded', rowCount: 1, error: null } }), /id:/],
    ];
    for (const [build, field] of cases) {
      let error: unknown;
      try {
        build();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INTERNAL');
      expect((error as AppError).message).toMatch(field);
    }
  });
});

describe('webhookEventSchema', () => {
  it('parses any event by its type and refuses unknown types', () => {
    const { body } = buildWebhookEvent('dataset.loaded', { tenant: 'state-university', data: { ...DATASET, status: 'loaded', rowCount: 5, error: null } });
    expect(webhookEventSchema.parse(JSON.parse(body)).type).toBe('dataset.loaded');
    expect(webhookEventSchema.safeParse({ ...JSON.parse(body), type: 'dataset.deleted' }).success).toBe(false);
    expect(webhookEventSchema.safeParse({ ...JSON.parse(body), type: 'run.completed' }).success).toBe(false);
  });
});

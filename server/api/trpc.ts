/**
 * tRPC wiring (create-t3-app names): the context, and the procedure builders that every router
 * uses. `tenantProcedure` resolves the tenant and the caller's membership in one query — a
 * non-member gets NOT_FOUND, exactly as for a tenant that does not exist — and `requireRole`
 * answers FORBIDDEN below the needed role. Services throw AppError; `errorMapping` turns it
 * into the tRPC code from the one table in server/errors.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { appDb } from '../../db';
import type { Db } from '../../db/client';
import type { MembershipRole } from '../../db/schema';
import { AppError, errorCodes } from '../errors/app-error';
import { logger } from '../logger';
import { getTenantMembership } from '../services/tenants/get-tenant-membership';
import { roleAtLeast } from '../services/tenants/roles';

export interface SessionUser {
  id: string;
  email?: string | null;
  isPlatformAdmin: boolean;
}

export interface TrpcContext {
  db: Db;
  user: SessionUser | null;
  ip: string | null;
}

export function createContextInner(input: { user: SessionUser | null; ip?: string | null; db?: Db }): TrpcContext {
  return { db: input.db ?? appDb(), user: input.user, ip: input.ip ?? null };
}

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        appCode: cause instanceof AppError ? cause.code : null,
        fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : null,
      },
    };
  },
});

const errorMapping = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof AppError) {
    throw new TRPCError({ code: errorCodes[cause.code].trpc, message: cause.message, cause });
  }
  if (cause instanceof ZodError) {
    const first = cause.issues[0];
    throw new TRPCError({ code: 'BAD_REQUEST', message: first?.message ?? 'Invalid input.', cause });
  }
  if (result.error.code === 'INTERNAL_SERVER_ERROR') {
    logger.error('procedure failed', { path, error: String(cause ?? result.error) });
    throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side. Please try again.' });
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(errorMapping);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const platformAdminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.isPlatformAdmin) throw new TRPCError({ code: 'FORBIDDEN', message: 'Only platform administrators can do this.' });
  return next();
});

export const tenantProcedure = protectedProcedure
  .input(z.object({ tenantSlug: z.string().min(1).max(64) }))
  .use(async ({ ctx, input, next }) => {
    const membership = await getTenantMembership(ctx.db, ctx.user.id, input.tenantSlug);
    return next({
      ctx: {
        ...ctx,
        tenant: membership,
        actor: { tenantId: membership.tenantId, userId: ctx.user.id, role: membership.role, ip: ctx.ip },
      },
    });
  });

/** Use as `tenantProcedure.use(requireRole('admin'))`. */
export function requireRole(minimum: MembershipRole) {
  return t.middleware(({ ctx, next }) => {
    const tenant = (ctx as { tenant?: { role: MembershipRole } }).tenant;
    if (!tenant || !roleAtLeast(tenant.role, minimum)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${minimum} role or higher.` });
    }
    return next();
  });
}

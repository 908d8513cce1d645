import type { MembershipRole } from '../../../db/schema';
import { AppError } from '../../errors/app-error';

/** Higher rank can do everything a lower rank can. */
const RANK: Record<MembershipRole, number> = { viewer: 0, analyst: 1, admin: 2, owner: 3 };

export function roleAtLeast(role: MembershipRole, minimum: MembershipRole): boolean {
  return RANK[role] >= RANK[minimum];
}

export function assertRole(role: MembershipRole, minimum: MembershipRole): void {
  if (!roleAtLeast(role, minimum)) {
    throw new AppError('FORBIDDEN', `This needs the ${minimum} role or higher; you are ${role === 'admin' ? 'an' : 'a'} ${role}.`);
  }
}

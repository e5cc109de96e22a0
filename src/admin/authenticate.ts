import bcrypt from 'bcrypt';
import type { CurrentAdmin } from 'adminjs';
import { randomBytes } from 'node:crypto';
import type { UserAttributes, UserModel } from '../core/models/user.js';

/** Roles that may log into the panel. `user` is a customer of the host application and may not. */
export const PANEL_ROLES = new Set(['admin', 'viewer']);
export const BCRYPT_ROUNDS = 12;

/** bcrypt in libuv's thread pool (the native package's async API): a login never blocks the event loop. */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_ROUNDS);
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash of nothing anyone knows, at the same cost: an unknown email, a customer or a user without
 * a password is compared against it, so the answer takes as long as for a real account.
 */
function hashOfNobody(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  return dummyHash;
}

/** The user with this email (any case) and password among `roles`, else null; as slow either way. */
export async function verifyPassword(User: UserModel, email: unknown, password: unknown, roles: ReadonlySet<string>): Promise<UserAttributes | null> {
  if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) return null;
  const user = await User.findOne({ where: User.sequelize!.where(User.sequelize!.fn('lower', User.sequelize!.col('email')), email.trim().toLowerCase()) });
  const account = user?.passwordHash && roles.has(user.role) ? user : null;
  const matches = await bcrypt.compare(password, account?.passwordHash ?? (await hashOfNobody()));
  return account && matches ? account : null;
}

/** The panel's login check: a bcrypt-verified admin or viewer, else null. */
export function createAuthenticate(User: UserModel) {
  void hashOfNobody();
  return async (email: string, password: string): Promise<CurrentAdmin | null> => {
    const account = await verifyPassword(User, email, password, PANEL_ROLES);
    return account && { id: String(account.id), email: account.email, title: account.name ?? account.username, role: account.role };
  };
}

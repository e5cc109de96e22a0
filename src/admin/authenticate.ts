import bcrypt from 'bcryptjs';
import type { CurrentAdmin } from 'adminjs';
import type { UserModel } from '../core/models/user.js';

/** Roles that may log into the panel. `user` is a customer of the host application and may not. */
export const PANEL_ROLES = new Set(['admin', 'viewer']);
export const BCRYPT_ROUNDS = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_ROUNDS);
}

/** The panel's login check: a bcrypt-verified admin or viewer, else null. */
export function createAuthenticate(User: UserModel) {
  return async (email: string, password: string): Promise<CurrentAdmin | null> => {
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) return null;
    const user = await User.findOne({ where: User.sequelize!.where(User.sequelize!.fn('lower', User.sequelize!.col('email')), email.trim().toLowerCase()) });
    if (!user?.passwordHash || !PANEL_ROLES.has(user.role)) return null;
    if (!(await bcrypt.compare(password, user.passwordHash))) return null;
    return { id: String(user.id), email: user.email, title: user.name ?? user.username, role: user.role };
  };
}

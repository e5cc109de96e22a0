import { createHash, randomBytes } from 'node:crypto';
import type { ApiTokenModel } from './models/api-token.js';
import type { UserId } from './users/user-id.js';

const TOKEN_PREFIX = 'aiu_';

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token for the user and returns it in clear: the only time it is ever visible. */
export async function issueApiToken(ApiToken: ApiTokenModel, userId: UserId, name = 'default'): Promise<string> {
  const token = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
  await ApiToken.create({ userId, name, tokenHash: hashApiToken(token), tokenPrefix: token.slice(0, TOKEN_PREFIX.length + 6) });
  return token;
}

/** The owner of a live (not revoked, not expired) token, found in one query, or null. Marks the token used. */
export async function resolveApiToken(ApiToken: ApiTokenModel, token: string): Promise<{ id: number; email: string; role: string } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const found = await ApiToken.findOne({
    where: { tokenHash: hashApiToken(token), revokedAt: null },
    include: [{ association: 'user', attributes: ['id', 'email', 'role'] }],
  });
  const user = (found as unknown as { user?: { id: number; email: string; role: string } } | null)?.user;
  if (!found || !user || (found.expiresAt && found.expiresAt.getTime() <= Date.now())) return null;
  // Recorded at most once a minute, so a busy client does not turn every request into a write.
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > 60_000) await found.update({ lastUsedAt: new Date() });
  return { id: user.id, email: user.email, role: user.role };
}

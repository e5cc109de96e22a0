import { html } from './html.js';
import { layout } from './layout.js';

/** The sign-in form of /usage; `error` is shown above it, `email` kept in the field. */
export function renderLoginPage(action: string, options: { error?: string; email?: string } = {}): string {
  return layout(
    'Sign in: AI usage',
    html`<div class="login"><section class="card">
  <h1 style="font-size:20px;margin:0 0 4px">Your AI usage</h1>
  <p class="muted" style="margin:0 0 14px">Sign in to see your tokens, quota and requests.</p>
  ${options.error ? html`<p class="error" role="alert" data-testid="login-error">${options.error}</p>` : ''}
  <form method="post" action="${action}">
    <label>Email <input type="email" name="email" autocomplete="username" required value="${options.email ?? ''}"></label>
    <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
    <button class="primary" type="submit">Sign in</button>
  </form>
  <p class="muted" style="font-size:13px;margin:14px 0 0">Administrators sign in to the admin panel at <a href="/admin">/admin</a>.</p>
</section></div>`,
  );
}

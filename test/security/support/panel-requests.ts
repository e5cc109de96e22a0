/** A panel request as a browser on `origin` would send it (Origin header), with the session cookie. */
export function panelPost(baseUrl: string, path: string, options: { cookie?: string; origin?: string | null; referer?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin !== undefined) headers.origin = options.origin ?? 'null';
  if (options.referer) headers.referer = options.referer;
  return fetch(`${baseUrl}${path}`, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(options.form ?? {}).toString() });
}

/** Status of a panel API read with this cookie: 200 while the session lives, a redirect to the login page once it is gone. */
export async function sessionStatus(baseUrl: string, cookie: string): Promise<number> {
  const response = await fetch(`${baseUrl}/admin/api/resources/users/actions/list`, { headers: { cookie }, redirect: 'manual' });
  await response.body?.cancel();
  return response.status;
}

// The one way to the server: the public API (/api/v1) with the HttpOnly session cookie and the CSRF header.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
    this.details = body?.error?.details;
  }
}

const csrf = () => decodeURIComponent(document.cookie.split('; ').find((c) => c.startsWith('fol_csrf='))?.slice(9) ?? '');

let unauthenticated = () => {};
/** What to do when the server no longer knows the session (set once by the entry module). */
export function onUnauthenticated(fn) {
  unauthenticated = fn;
}

/** JSON by default; a FormData body goes as multipart/form-data (the browser sets the boundary). */
export async function api(path, { method = 'GET', body, headers, signature = false } = {}) {
  const multipart = body instanceof FormData;
  const res = await fetch('/api/v1' + path, {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...(body !== undefined && !multipart ? { 'Content-Type': 'application/json' } : {}), ...(method !== 'GET' ? { 'X-CSRF-Token': csrf() } : {}), ...headers },
    body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
  });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  // A wrong e-signature password is a 401 too: it must not end the session.
  if (res.status === 401 && path !== '/auth/login' && !signature) {
    unauthenticated();
    throw new ApiError(401, data);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** Follows a list's cursor until it ends (or `max` items): a busy port can have more than one page open. */
export async function allPages(path, max) {
  const items = [];
  let cursor = null;
  do {
    const page = await api(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

// The console's only way to the server: same-origin JSON with the session cookie, and the CSRF token on every
// request that changes something.

/** An answer other than 2xx: HTTP status, the server's message (English) and its body. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** request(method, path, body?) for /admin/api; `state.csrfToken` is set after login; 401 calls onUnauthorized. */
export function createApi(state, onUnauthorized) {
  async function request(method, path, body) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && state.csrfToken) headers['x-csrf-token'] = state.csrfToken;
    const res = await fetch(`/admin/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const type = res.headers.get('content-type') ?? '';
    const data = type.includes('json') ? await res.json().catch(() => null) : null;
    if (res.status === 401 && !(method === 'POST' && path === '/session')) onUnauthorized();
    if (!res.ok) throw new ApiError(res.status, (data && data.error) || res.statusText, data);
    return data;
  }
  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
    patch: (path, body) => request('PATCH', path, body),
    put: (path, body) => request('PUT', path, body ?? {}),
    del: (path) => request('DELETE', path),
  };
}

/** A query string from an object, skipping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}

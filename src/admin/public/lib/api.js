// The console's only way to the server: same-origin JSON with the session cookie, and the CSRF token on every
// request that changes something. Every refusal of the server is { error: { code, message, fields? } }, with a
// Vietnamese message meant to be shown as it is.

/** An answer other than 2xx: HTTP status, the server's code and Vietnamese message, and per-field messages. */
export class ApiError extends Error {
  constructor(status, error, body) {
    super(error?.message || `Máy chủ không trả lời được (mã ${status}). Vui lòng thử lại sau ít phút.`);
    this.status = status;
    this.code = error?.code ?? 'unknown';
    /** Field name (as the request sent it, e.g. "sendAt", "audience.tag") → what to correct there. */
    this.fields = error?.fields ?? {};
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
    if (!res.ok) throw new ApiError(res.status, data && typeof data.error === 'object' ? data.error : null, data);
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

// Authenticated JSON calls for the host and producer pages. The token comes from the URL
// fragment (never sent to the server in URLs or logs) and is kept in sessionStorage.
export function takeToken(role) {
  const key = `onair.${role}.token`;
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(key, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(key);
}

export class ApiClient {
  constructor(token) {
    this.token = token;
  }

  async call(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error(data?.error?.message ?? `HTTP ${response.status}`);
      error.code = data?.error?.code ?? `HTTP_${response.status}`;
      throw error;
    }
    return data;
  }
}

/** Creates an element with text content only: page data never goes through innerHTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

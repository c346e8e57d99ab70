/**
 * The stand-in issuer's pages: the login form `/authorize` shows, and the page that hands an
 * authorization response back to a SPA by `postMessage` (`response_mode=web_message`, which
 * auth0-spa-js uses for silent authentication in an iframe and for popups).
 */
import { escapeHtml } from '../http-io';

/** The form fields; a headless browser fills `#username` and clicks `#sign-in`. */
export const LOGIN_FIELDS = { username: 'username', permissions: 'permissions', claims: 'claims', csrf: 'csrf' } as const;

export interface LoginPageInput {
  /** The authorization request, carried through the form as hidden fields. */
  readonly request: Record<string, string>;
  /** Pre-filled: the API scopes the application asked for. */
  readonly permissions: string;
  /** The form's login CSRF token (see login-forms.ts). */
  readonly csrf: string;
  readonly error?: string;
}

export function loginPage(input: LoginPageInput): string {
  const hidden = Object.entries(input.request)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('\n      ');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in (local issuer)</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin-top:1rem}input,textarea{width:100%;box-sizing:border-box;padding:.4rem}button{margin-top:1.2rem;padding:.5rem 1.2rem}.error{color:#b00020}</style>
</head>
<body>
  <h1>Sign in</h1>
  <p>Local stand-in for your Auth0 tenant: any user name signs in, no password. Nothing leaves this machine.</p>
  ${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ''}
  <form method="post" action="/authorize">
      ${hidden}
      <input type="hidden" name="${LOGIN_FIELDS.csrf}" value="${escapeHtml(input.csrf)}">
    <label for="username">User name</label>
    <input id="username" name="${LOGIN_FIELDS.username}" autocomplete="username" required autofocus>
    <label for="permissions">Permissions (Auth0 RBAC, space-separated)</label>
    <input id="permissions" name="${LOGIN_FIELDS.permissions}" value="${escapeHtml(input.permissions)}">
    <label for="claims">Custom claims (JSON object, optional)</label>
    <textarea id="claims" name="${LOGIN_FIELDS.claims}" rows="3" placeholder='{"https://example.com/roles":["admin"]}'></textarea>
    <button id="sign-in" type="submit">Sign in</button>
  </form>
</body>
</html>
`;
}

/**
 * Posts `{type: 'authorization_response', response}` to the window that opened the authorization
 * request, restricted to the redirect URI's origin, which is what auth0-spa-js listens for.
 */
export function webMessagePage(targetOrigin: string, response: Record<string, string>): string {
  const data = JSON.stringify({ type: 'authorization_response', response }).replace(/</g, '\\u003c');
  const origin = JSON.stringify(targetOrigin).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorization response</title></head>
<body><script>(window.opener || window.parent).postMessage(${data}, ${origin});</script></body></html>
`;
}

export function messagePage(title: string, text: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>
`;
}

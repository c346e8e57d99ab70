// Signs in with Auth0's SPA library (authorization code with PKCE, tokens kept in memory) and calls
// the example API with the access token. Plain JavaScript: the browser loads the library's own ES
// module build, which serve.ts serves from node_modules.
//
// With `useDpop` in config.js the library binds the tokens to a key pair it keeps in IndexedDB
// (non-extractable, P-256): the token request carries a DPoP proof, the token comes back with
// `token_type` DPoP and `cnf.jkt`, and each API call carries `Authorization: DPoP <token>` and a
// fresh `DPoP` proof for that method and URL (RFC 9449). The API must run with `dpop` ALLOWED or REQUIRED.
import { createAuth0Client } from './vendor/auth0-spa-js.production.esm.js';

const config = window.SPA_CONFIG;
// The stack's ApiUrl ends with a slash; relative paths resolve below it only then.
const apiBase = config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`;
// Only what the protected route needs: the third button shows the 403 for a scope not granted.
const SCOPE = 'openid profile read:colors';
const CALLS = {
  'public': { path: 'health', withToken: false },
  'protected': { path: 'colors', withToken: true },
  'missing-scope': { path: 'files/report.txt', withToken: true },
};

const $ = (id) => document.getElementById(id);

const auth0 = await createAuth0Client({
  domain: config.domain,
  clientId: config.clientId,
  useDpop: config.useDpop === true,
  authorizationParams: {
    audience: config.audience,
    scope: SCOPE,
    redirect_uri: window.location.origin + window.location.pathname,
  },
});

// Back from the login page: exchange the code (with the PKCE verifier) for tokens, then drop
// `code` and `state` from the address bar.
const query = new URLSearchParams(window.location.search);
if (query.has('code') && query.has('state')) {
  try {
    await auth0.handleRedirectCallback();
  } catch (e) {
    $('session').textContent = `Sign-in failed: ${e.message}`;
  }
  window.history.replaceState({}, document.title, window.location.pathname);
}

// Calls with the token: `Authorization: <token_type> <token>`, and with DPoP a proof per call. The
// library adds the proof only for a fetcher with a `dpopNonceId` (the key under which it would keep
// a `DPoP-Nonce` the API sent; API Gateway authorizers send none, so there is never one to keep).
const api = auth0.createFetcher({ dpopNonceId: 'example-api' });

const signedIn = await auth0.isAuthenticated();
if (signedIn) {
  const user = await auth0.getUser();
  const { access_token: token, token_type: tokenType } = await auth0.getTokenSilently({ detailedResponse: true });
  // Shown only to say what was granted; the API, not the page, verifies the token.
  const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  $('session').innerHTML = '';
  $('session').append(
    `Signed in as ${user?.name ?? user?.sub}. Access token scopes: `,
    Object.assign(document.createElement('code'), { id: 'granted', textContent: claims.scope ?? '(none)' }),
    ', type: ',
    Object.assign(document.createElement('code'), { id: 'token-type', textContent: tokenType }),
  );
} else {
  $('session').textContent = 'Signed out: the protected calls go without a token.';
}
$('login').hidden = signedIn;
$('logout').hidden = !signedIn;
$('login').addEventListener('click', () => auth0.loginWithRedirect());
$('logout').addEventListener('click', () => auth0.logout({ logoutParams: { returnTo: window.location.origin + window.location.pathname } }));

async function call(name) {
  const { path, withToken } = CALLS[name];
  const status = $(`${name}-status`);
  const body = $(`${name}-body`);
  status.textContent = '…';
  status.dataset.status = 'pending';
  body.textContent = '';
  try {
    const url = new URL(path, apiBase);
    // Signed out, the protected calls go without a token, to show the 401.
    const response = withToken && signedIn ? await api.fetchWithAuth(url) : await fetch(url);
    const text = await response.text();
    const challenge = response.headers.get('www-authenticate');
    status.textContent = `${response.status} ${response.statusText}`;
    status.dataset.status = String(response.status);
    body.textContent = (challenge ? `WWW-Authenticate: ${challenge}\n` : '') + text;
  } catch (e) {
    // What a CORS refusal looks like from a script: a TypeError and nothing else to read.
    status.textContent = 'error';
    status.dataset.status = 'error';
    body.textContent = `${e.name}: ${e.message}`;
  }
}
for (const button of document.querySelectorAll('button[data-call]')) {
  button.addEventListener('click', () => call(button.dataset.call));
}
document.body.dataset.ready = 'true';

/**
 * A stand-in for an Auth0 tenant on 127.0.0.1, for local runs: Auth0's endpoint paths, RS256 tokens
 * shaped like Auth0's, client credentials for curl and authorization code with PKCE for a
 * single-page app (auth0-spa-js). Written on node:crypto alone so the command ships without
 * dependencies; the end-to-end tests additionally run against oidc-provider, a certified provider.
 *
 * Not a security boundary: any user name signs in and the client secret is fixed. It listens on
 * 127.0.0.1 only, answers only loopback Host names (DNS rebinding), signs in only from its own page
 * (login CSRF) and redirects only to loopback URLs.
 */
import type { IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { AuthorizationStore, CLIENT_ID_CHARACTERS, isSafeClientId, parseAuthorizationRequest, UnsafeAuthorizationRequest, type AuthorizationRequest, type LocalUser } from './authorization-code';
import { crossSiteReason, LoginForms } from './login-forms';
import { LOGIN_FIELDS, loginPage, messagePage, webMessagePage } from './login-page';
import { SigningKey } from './signing-key';
import { accessTokenClaims, idTokenClaims, OIDC_SCOPES, parseCustomClaims, profileClaims, splitScopes, userSubject } from './token-claims';
import { tokenRequestProof } from './token-request-proof';
import { isLoopbackHost } from '../../src/authorizer/authorizer-config';
import { BodyTooLargeError, header, listenOnLoopback, parseParameters, printable, readBody, sendHtml, sendJson } from '../http-io';

/** The client secret every machine-to-machine client uses with the local issuer. */
export const LOCAL_CLIENT_SECRET = 'local-secret';
const SESSION_COOKIE = 'local_issuer_session';

export interface LocalIssuerOptions {
  /** 0 (default): any free port. */
  readonly port?: number;
  /** Used when a token request names no audience, as Auth0's tenant "default audience". */
  readonly defaultAudience?: string;
  /** Audiences the issuer issues tokens for; a request for another gets `access_denied`. Default: any. */
  readonly audiences?: string[];
  /** Access token lifetime. Default 3600 s. */
  readonly tokenLifetimeSeconds?: number;
  /** Called with one line per token issued or refused (never the token). */
  readonly onLog?: (line: string) => void;
}

export interface ClientCredentialsRequest {
  readonly clientId?: string;
  readonly audience?: string;
  /** Space-separated; default: none. */
  readonly scope?: string;
  readonly permissions?: string[];
  readonly claims?: Record<string, unknown>;
  /** Binds the token to this DPoP key thumbprint (`cnf.jkt`); default: a Bearer token. */
  readonly dpopJkt?: string;
}

class OAuthError extends Error {
  constructor(readonly status: number, readonly error: string, description: string) {
    super(description);
  }
}

export class LocalIssuer {
  public static async start(options: LocalIssuerOptions = {}): Promise<LocalIssuer> {
    let issuer: LocalIssuer | undefined;
    const server = await listenOnLoopback(options.port ?? 0, (req, res) => void issuer?.handle(req, res), (req) => {
      issuer?.log(`refused ${req.method} ${req.url}: Host ${req.headers.host ?? '(none)'} is not this issuer's loopback address`);
    });
    issuer = new LocalIssuer(server, options);
    return issuer;
  }

  /** `http://127.0.0.1:<port>/`: with the trailing slash, as Auth0 writes `iss`. */
  public readonly issuer: string;
  /** `http://127.0.0.1:<port>`: what auth0-spa-js takes as `domain` (it appends the slash itself). */
  public readonly domain: string;
  public readonly tokenEndpoint: string;
  public readonly jwksUri: string;
  public readonly port: number;

  private readonly key = SigningKey.generate();
  private readonly store = new AuthorizationStore();
  private readonly forms = new LoginForms();
  private readonly lifetime: number;
  private readonly log: (line: string) => void;

  private constructor(private readonly server: Server, private readonly options: LocalIssuerOptions) {
    this.port = (server.address() as AddressInfo).port;
    this.domain = `http://127.0.0.1:${this.port}`;
    this.issuer = `${this.domain}/`;
    this.tokenEndpoint = `${this.domain}/oauth/token`;
    this.jwksUri = `${this.domain}/.well-known/jwks.json`;
    this.lifetime = options.tokenLifetimeSeconds ?? 3600;
    const onLog = options.onLog ?? (() => undefined);
    // Lines carry request data (client_id, scope, audience): escaped, so they cannot add lines or escapes.
    this.log = (line) => onLog(printable(line));
  }

  /** A client-credentials token, issued in-process (the same claims the token endpoint gives). */
  public issueClientCredentialsToken(request: ClientCredentialsRequest = {}): string {
    const clientId = request.clientId ?? 'local-m2m';
    return this.key.sign(accessTokenClaims({
      issuer: this.issuer,
      subject: `${clientId}@clients`,
      clientId,
      audience: this.audienceFor(request.audience),
      scopes: splitScopes(request.scope),
      permissions: request.permissions,
      // A DPoP-bound token (RFC 9449 section 6): the thumbprint of the client's proof key.
      customClaims: { ...request.claims, ...(request.dpopJkt === undefined ? {} : { cnf: { jkt: request.dpopJkt } }) },
      machineToMachine: true,
      lifetimeSeconds: this.lifetime,
      now: Math.floor(Date.now() / 1000),
    }));
  }

  /** A curl command line that prints a token for `scope` (for people). */
  public curlForToken(audience: string, scope: string): string {
    return `curl -s ${this.tokenEndpoint} -d grant_type=client_credentials -d client_id=local-m2m -d client_secret=${LOCAL_CLIENT_SECRET} -d audience=${audience} -d 'scope=${scope}'`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.domain);
    const cors = this.corsHeaders(req);
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'Content-Type, Authorization, Auth0-Client, DPoP', 'access-control-max-age': '600' }).end();
        return;
      }
      const route = `${req.method} ${url.pathname}`;
      switch (route) {
        case 'GET /.well-known/openid-configuration': return sendJson(res, 200, this.discovery(), cors);
        case 'GET /.well-known/jwks.json': return sendJson(res, 200, this.key.jwks(), cors);
        case 'GET /authorize': return this.authorize(res, req, Object.fromEntries(url.searchParams));
        case 'POST /authorize': return this.login(req, res, parseParameters(await readBody(req), header(req, 'content-type')));
        case 'POST /oauth/token': return sendJson(res, 200, this.token(req, parseParameters(await readBody(req), header(req, 'content-type'))), cors);
        case 'GET /userinfo': return this.userinfo(req, res, cors);
        case 'GET /v2/logout': return this.logout(req, res, url.searchParams);
        default: return sendJson(res, 404, { error: 'not_found', error_description: `${route} is not an endpoint of the local issuer` }, cors);
      }
    } catch (e) {
      if (e instanceof OAuthError) {
        this.log(`refused: ${e.error}: ${e.message}`);
        return sendJson(res, e.status, { error: e.error, error_description: e.message }, cors);
      }
      if (e instanceof BodyTooLargeError || e instanceof SyntaxError) return sendJson(res, 400, { error: 'invalid_request', error_description: e.message }, cors);
      this.log(`error: ${(e as Error).message}`);
      return sendJson(res, 500, { error: 'server_error', error_description: (e as Error).message }, cors);
    }
  }

  /** A SPA on another loopback port calls the token endpoint cross-origin. Never credentials. */
  private corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = header(req, 'origin');
    if (!origin) return {};
    try {
      if (!isLoopbackHost(new URL(origin).hostname)) return {};
    } catch {
      return {};
    }
    return { 'access-control-allow-origin': origin, 'vary': 'Origin' };
  }

  private discovery(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      authorization_endpoint: `${this.domain}/authorize`,
      token_endpoint: this.tokenEndpoint,
      userinfo_endpoint: `${this.domain}/userinfo`,
      jwks_uri: this.jwksUri,
      end_session_endpoint: `${this.domain}/v2/logout`,
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'fragment', 'web_message'],
      grant_types_supported: ['authorization_code', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      scopes_supported: OIDC_SCOPES,
    };
  }

  private audienceFor(requested: string | undefined): string | undefined {
    const audience = requested || this.options.defaultAudience;
    if (audience !== undefined && this.options.audiences && !this.options.audiences.includes(audience)) {
      throw new OAuthError(403, 'access_denied', `Service not found: ${audience} (the local issuer knows ${this.options.audiences.join(', ')})`);
    }
    return audience;
  }

  private authorize(res: ServerResponse, req: IncomingMessage, params: Record<string, string>): void {
    let request: AuthorizationRequest;
    try {
      const parsed = parseAuthorizationRequest(params);
      if ('error' in parsed) return this.respond(res, parsed.redirectUri, parsed.responseMode, { error: parsed.error, error_description: parsed.description, ...(parsed.state !== undefined ? { state: parsed.state } : {}) });
      request = parsed;
      this.audienceFor(request.audience);
    } catch (e) {
      if (e instanceof UnsafeAuthorizationRequest || e instanceof OAuthError) return sendHtml(res, 400, messagePage('Bad authorization request', e.message));
      throw e;
    }
    const user = this.store.session(cookie(req, SESSION_COOKIE));
    if (user && request.prompt !== 'login') return this.respondWithCode(res, request, user);
    if (request.prompt === 'none') return this.respond(res, request.redirectUri, request.responseMode, { error: 'login_required', error_description: 'Login required', ...(request.state !== undefined ? { state: request.state } : {}) });
    const apiScopes = request.scopes.filter((s) => !OIDC_SCOPES.includes(s));
    return sendHtml(res, 200, loginPage({ request: params, permissions: apiScopes.join(' '), csrf: this.forms.issue(params) }));
  }

  private login(req: IncomingMessage, res: ServerResponse, params: Record<string, string>): void {
    // Login CSRF: only the issuer's own sign-in page, as shown for this very request, signs in.
    // The Host was checked before (listenOnLoopback), so it names this issuer.
    const crossSite = crossSiteReason({ secFetchSite: header(req, 'sec-fetch-site'), origin: header(req, 'origin') }, `http://${req.headers.host}`);
    if (crossSite) {
      this.log(`refused a cross-site sign-in (${crossSite})`);
      return sendHtml(res, 403, messagePage('Sign-in refused', `Cross-site sign-in refused: ${crossSite}. Sign in from the issuer's own page.`));
    }
    const {
      [LOGIN_FIELDS.username]: username, [LOGIN_FIELDS.permissions]: permissions, [LOGIN_FIELDS.claims]: claims, [LOGIN_FIELDS.csrf]: csrf, ...request
    } = params;
    if (!this.forms.redeem(csrf, request)) {
      this.log('refused a sign-in without a valid sign-in form token');
      const why = 'This sign-in form is not one the issuer showed for this request, or it was used or expired. Start the sign-in again.';
      return sendHtml(res, 403, messagePage('Sign-in refused', why));
    }
    const parsed = parseAuthorizationRequest(request);
    if ('error' in parsed) return this.respond(res, parsed.redirectUri, parsed.responseMode, { error: parsed.error, error_description: parsed.description });
    const again = (error: string) => sendHtml(res, 400, loginPage({ request, permissions: permissions ?? '', csrf: this.forms.issue(request), error }));
    if (!username || !/^[\w.@+-]{1,64}$/.test(username)) return again('Enter a user name: letters, digits and . _ @ + - only.');
    let customClaims: Record<string, unknown>;
    try {
      customClaims = parseCustomClaims(claims);
    } catch (e) {
      return again((e as Error).message);
    }
    const user: LocalUser = { username, permissions: splitScopes(permissions), customClaims, authTime: Math.floor(Date.now() / 1000) };
    const session = this.store.startSession(user);
    this.log(`signed in ${username} (permissions: ${user.permissions.join(' ') || 'none'})`);
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`);
    this.respondWithCode(res, parsed, user);
  }

  private respondWithCode(res: ServerResponse, request: AuthorizationRequest, user: LocalUser): void {
    const code = this.store.issueCode(request, user);
    this.respond(res, request.redirectUri, request.responseMode, { code, ...(request.state !== undefined ? { state: request.state } : {}) });
  }

  /** An authorization response by redirect (query or fragment) or by `postMessage` (web_message). */
  private respond(res: ServerResponse, redirectUri: string, mode: string, response: Record<string, string>): void {
    if (mode === 'web_message') return sendHtml(res, 200, webMessagePage(new URL(redirectUri).origin, response));
    const target = new URL(redirectUri);
    const encoded = new URLSearchParams(response).toString();
    if (mode === 'fragment') target.hash = encoded;
    else for (const [k, v] of Object.entries(response)) target.searchParams.set(k, v);
    res.writeHead(302, { 'location': target.href, 'cache-control': 'no-store' }).end();
  }

  private token(req: IncomingMessage, params: Record<string, string>): Record<string, unknown> {
    const { clientId, secret } = clientAuthentication(req, params);
    const now = Math.floor(Date.now() / 1000);
    const proof = tokenRequestProof(req.headers.dpop, this.tokenEndpoint, now);
    if (proof !== undefined && 'problem' in proof) throw new OAuthError(400, 'invalid_dpop_proof', proof.problem);
    const dpopJkt = proof?.jkt;
    const tokenType = dpopJkt === undefined ? 'Bearer' : 'DPoP';
    if (params.grant_type === 'client_credentials') {
      if (secret !== LOCAL_CLIENT_SECRET) throw new OAuthError(401, 'access_denied', `Unauthorized: the local issuer's client secret is ${LOCAL_CLIENT_SECRET}`);
      const audience = this.audienceFor(params.audience ?? params.resource);
      if (audience === undefined) throw new OAuthError(403, 'access_denied', 'No audience parameter was provided, and no default audience has been configured');
      const token = this.issueClientCredentialsToken({
        clientId,
        audience,
        scope: params.scope,
        permissions: params.permissions === undefined ? undefined : splitScopes(params.permissions),
        claims: this.claimsParameter(params.claims),
        dpopJkt,
      });
      this.log(`client_credentials token for ${clientId}, audience ${audience}, scope "${splitScopes(params.scope).join(' ')}"`);
      return { access_token: token, token_type: tokenType, expires_in: this.lifetime, scope: splitScopes(params.scope).join(' ') };
    }
    if (params.grant_type === 'authorization_code') {
      const issued = this.store.redeem(params.code ?? '', clientId, params.redirect_uri, params.code_verifier);
      if (typeof issued === 'string') throw new OAuthError(403, 'invalid_grant', issued);
      const { request, user } = issued;
      const oidc = request.scopes.filter((s) => OIDC_SCOPES.includes(s));
      // Auth0 with RBAC enforced grants the requested API scopes the user holds.
      const api = request.scopes.filter((s) => !OIDC_SCOPES.includes(s) && user.permissions.includes(s));
      const scopes = [...oidc, ...api];
      const subject = userSubject(user.username);
      const audience = this.audienceFor(request.audience);
      const accessToken = this.key.sign(accessTokenClaims({
        issuer: this.issuer,
        subject,
        clientId,
        audience,
        scopes,
        permissions: audience === undefined ? undefined : user.permissions,
        customClaims: { ...user.customClaims, ...(dpopJkt === undefined ? {} : { cnf: { jkt: dpopJkt } }) },
        machineToMachine: false,
        lifetimeSeconds: this.lifetime,
        now,
      }));
      const idToken = this.key.sign(idTokenClaims({
        issuer: this.issuer,
        subject,
        clientId,
        username: user.username,
        nonce: request.nonce,
        authTime: user.authTime,
        scopes,
        customClaims: user.customClaims,
        now,
      }));
      this.log(`authorization_code tokens for ${user.username} via ${clientId}, audience ${audience ?? '(userinfo)'}, scope "${scopes.join(' ')}"`);
      return { access_token: accessToken, id_token: idToken, token_type: tokenType, expires_in: this.lifetime, scope: scopes.join(' ') };
    }
    throw new OAuthError(400, 'unsupported_grant_type', `grant_type ${params.grant_type ?? '(none)'} is not supported by the local issuer (client_credentials, authorization_code)`);
  }

  private claimsParameter(text: string | undefined): Record<string, unknown> {
    try {
      return parseCustomClaims(text);
    } catch (e) {
      throw new OAuthError(400, 'invalid_request', (e as Error).message);
    }
  }

  private userinfo(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
    const token = /^Bearer (.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    const claims = token ? this.key.verify(token, Math.floor(Date.now() / 1000)) : undefined;
    const aud = claims && (Array.isArray(claims.aud) ? claims.aud : [claims.aud]);
    if (!claims || !aud?.includes(`${this.issuer}userinfo`)) {
      return sendJson(res, 401, { error: 'invalid_token' }, { ...cors, 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    const sub = String(claims.sub);
    const username = sub.startsWith('local|') ? sub.slice('local|'.length) : sub;
    return sendJson(res, 200, { sub, ...profileClaims(username, splitScopes(String(claims.scope ?? ''))) }, cors);
  }

  private logout(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
    this.store.endSession(cookie(req, SESSION_COOKIE));
    const clear = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
    const returnTo = params.get('returnTo');
    let target: URL | undefined;
    try {
      target = returnTo ? new URL(returnTo) : undefined;
    } catch {
      target = undefined;
    }
    if (target && isLoopbackHost(target.hostname)) {
      res.writeHead(302, { 'location': target.href, 'set-cookie': clear, 'cache-control': 'no-store' }).end();
      return;
    }
    sendHtml(res, 200, messagePage('Signed out', 'You are signed out of the local issuer.'), { 'set-cookie': clear });
  }
}

/** client_secret_basic or client_secret_post; a public client (a SPA) sends only client_id. */
function clientAuthentication(req: IncomingMessage, params: Record<string, string>): { clientId: string; secret?: string } {
  const basic = /^Basic (.+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return { clientId: safeClientId(decodeURIComponent(decoded.slice(0, colon))), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    }
  }
  if (!params.client_id) throw new OAuthError(401, 'invalid_client', 'client_id is required');
  return { clientId: safeClientId(params.client_id), secret: params.client_secret };
}

function safeClientId(clientId: string): string {
  if (!isSafeClientId(clientId)) throw new OAuthError(401, 'invalid_client', `client_id must be 1 to 128 of ${CLIENT_ID_CHARACTERS}`);
  return clientId;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * End to end, with real parts only: a real OpenID provider (oidc-provider) on 127.0.0.1 as the
 * Auth0 tenant, tokens from its token endpoint over HTTP, the example app synthesized from
 * examples/typescript, and the authorizer asset that template deploys, invoked as API Gateway
 * invokes it, in front of the example's own backend code. The expected statuses below are written
 * from the example's route table by hand, not derived from the authorizer's configuration.
 */
import { GatewaySimulator, type GatewayRequest, type GatewayResponse } from '../../local/rest-api/gateway';
import { LOCAL_CLIENTS, LocalIssuer, ROLES_CLAIM } from '../support/oidc-provider-issuer';
import { EXAMPLE_AUDIENCE, EXAMPLE_SCOPES, EXAMPLE_PROTECTED_ROUTES, EXAMPLE_REQUESTS, synthesizeExample, type SynthesizedExample } from '../support/synth-example';

const PROTECTED = EXAMPLE_PROTECTED_ROUTES;
const PUBLIC = ['GET /health'];

const REQUESTS = EXAMPLE_REQUESTS;
/** Every resource that answers CORS preflight. */
const PREFLIGHT_PATHS = ['/', '/health', '/colors', '/colors/red', '/files', '/files/a/b/c.txt'];

type Kind = 'valid' | 'invalid' | 'none';
interface TokenCase {
  readonly name: string;
  readonly kind: Kind;
  /** What the token grants (scope ∪ permissions), for valid tokens. */
  readonly grants: string[];
  token?: string;
}

const TOKENS: TokenCase[] = [
  { name: 'no token', kind: 'none', grants: [] },
  { name: 'token without scopes', kind: 'valid', grants: [] },
  ...EXAMPLE_SCOPES.map((scope): TokenCase => ({ name: `token with ${scope}`, kind: 'valid', grants: [scope] })),
  { name: 'token with read:colors read:files', kind: 'valid', grants: ['read:colors', 'read:files'] },
  { name: 'token with every scope', kind: 'valid', grants: EXAMPLE_SCOPES },
  { name: 'token granting through permissions only', kind: 'valid', grants: ['read:colors', 'read:files'] },
  { name: 'expired token', kind: 'invalid', grants: EXAMPLE_SCOPES },
  { name: 'token from another issuer', kind: 'invalid', grants: EXAMPLE_SCOPES },
];
const token = (name: string) => TOKENS.find((t) => t.name === name)!;

function expectedStatus(route: string, t: TokenCase): number {
  if (PUBLIC.includes(route)) return 200;
  if (t.kind !== 'valid') return 401;
  return PROTECTED[route].every((s) => t.grants.includes(s)) ? 200 : 403;
}

function request(method: string, path: string, t: TokenCase): GatewayRequest {
  const headers: Record<string, string> = { 'Origin': 'https://app.example.com', 'User-Agent': 'e2e' };
  if (t.token !== undefined) headers.Authorization = `Bearer ${t.token}`;
  return { method, path, headers };
}

let issuer: LocalIssuer;
let otherIssuer: LocalIssuer;
let example: SynthesizedExample;
let gateway: GatewaySimulator;
let expiredUsableAt = 0;

beforeAll(async () => {
  [issuer, otherIssuer] = await Promise.all([
    LocalIssuer.start({ audience: EXAMPLE_AUDIENCE, scopes: EXAMPLE_SCOPES }),
    LocalIssuer.start({ audience: EXAMPLE_AUDIENCE, scopes: EXAMPLE_SCOPES }),
  ]);
  // First the token that must expire: one second of life plus the authorizer's 5 s clock tolerance.
  const shortLived = await issuer.token(LOCAL_CLIENTS.shortLived, EXAMPLE_SCOPES.join(' '));
  expect(shortLived.expires_in).toBe(1);
  token('expired token').token = shortLived.access_token;
  expiredUsableAt = Date.now() + 7_000;

  example = synthesizeExample(issuer.issuer);
  gateway = await GatewaySimulator.start(example.api);

  token('token without scopes').token = await issuer.accessToken(LOCAL_CLIENTS.m2m);
  for (const t of TOKENS) {
    if (t.token !== undefined || t.kind !== 'valid' || t.name.includes('permissions') || t.grants.length === 0) continue;
    t.token = await issuer.accessToken(LOCAL_CLIENTS.m2m, t.grants.join(' '));
  }
  token('token granting through permissions only').token = await issuer.accessToken(LOCAL_CLIENTS.rbac);
  token('token from another issuer').token = await otherIssuer.accessToken(LOCAL_CLIENTS.m2m, EXAMPLE_SCOPES.join(' '));
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([issuer?.stop(), otherIssuer?.stop()]);
});

describe('the provider is a stand-in Auth0 tenant', () => {
  test('RS256 JWT access tokens for the audience, with scope, permissions and a namespaced claim', async () => {
    const response = await issuer.token(LOCAL_CLIENTS.m2m, 'read:colors write:colors');
    expect(response.token_type).toBe('Bearer');
    const [header, payload] = response.access_token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(typeof header.kid).toBe('string');
    expect(payload).toMatchObject({
      iss: issuer.issuer,
      aud: EXAMPLE_AUDIENCE,
      sub: LOCAL_CLIENTS.m2m,
      scope: 'read:colors write:colors',
      permissions: ['read:colors', 'write:colors'],
      [ROLES_CLAIM]: ['colors-editor'],
    });
    expect(payload.exp).toBeGreaterThan(payload.iat);
    const rbac = JSON.parse(Buffer.from(token('token granting through permissions only').token!.split('.')[1], 'base64url').toString());
    expect(rbac.scope).toBeUndefined();
    expect(rbac.permissions).toEqual(['read:colors', 'read:files']);
    expect(issuer.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  test('its keys are at the JWKS URI the construct derives from the issuer', async () => {
    const jwks = await (await fetch(`${issuer.issuer}.well-known/jwks.json`)).json() as { keys: { kty: string; alg: string; d?: string }[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) expect(key.d).toBeUndefined();
    expect(jwks.keys.some((k) => k.kty === 'RSA' && k.alg === 'RS256')).toBe(true);
  });
});

describe('what the template says', () => {
  test('every route, its authorization, the authorizer and its function', () => {
    const methods = example.api.methods.map((m) => `${m.httpMethod} ${m.resourcePath} ${m.authorizationType}`).sort();
    expect(methods).toEqual([
      ...Object.keys(PROTECTED).map((r) => `${r} CUSTOM`),
      ...PUBLIC.map((r) => `${r} NONE`),
      ...['/', '/colors', '/colors/{name}', '/files', '/files/{proxy+}', '/health'].map((p) => `OPTIONS ${p} NONE`),
    ].sort());
    const authorizers = [...example.api.authorizers.values()];
    expect(authorizers).toHaveLength(1);
    // This route table does not overlap: one decision per token, keyed by the token alone.
    expect(authorizers[0]).toMatchObject({ type: 'REQUEST', identitySource: ['method.request.header.Authorization'], resultTtlSeconds: 300 });
    const fn = example.api.functions.get(authorizers[0].functionId)!;
    expect(fn).toMatchObject({ handler: 'index.handler', runtime: 'nodejs22.x', environment: {} });
    expect(fn.assetDir).toContain(example.assemblyDir);
    for (const m of example.api.methods.filter((x) => x.authorizationType === 'CUSTOM')) expect(m.authorizerId).toBe(authorizers[0].logicalId);
  });
});

describe('the full matrix: every route × every kind of token', () => {
  // Expired tokens go last, once their second of life and the clock tolerance have passed.
  const ordered = [...TOKENS.filter((t) => t.name !== 'expired token'), token('expired token')];
  const cells = ordered.flatMap((t) => [
    ...REQUESTS.map((r) => ({ t, method: r.method, path: r.path, route: r.route, expected: expectedStatus(r.route, t) })),
    ...PREFLIGHT_PATHS.map((path) => ({ t, method: 'OPTIONS', path, route: 'OPTIONS', expected: 204 })),
  ]);

  test(`${cells.length} requests, each answered as expected`, async () => {
    const misses: string[] = [];
    for (const cell of cells) {
      if (cell.t.name === 'expired token' && Date.now() < expiredUsableAt) await new Promise((r) => setTimeout(r, expiredUsableAt - Date.now()));
      const response = await gateway.handle(request(cell.method, cell.path, cell.t));
      const line = `${cell.t.name.padEnd(40)} ${cell.method.padEnd(7)} ${cell.path.padEnd(18)} → ${response.status}`;
      if (response.status !== cell.expected) misses.push(`${line} (expected ${cell.expected}; ${response.body})`);
      // Public routes and preflight never reach the authorizer.
      if (cell.route === 'OPTIONS' || PUBLIC.includes(cell.route)) {
        if (response.authorizer !== 'not-required') misses.push(`${line}: reached the authorizer`);
      }
    }
    expect(misses).toEqual([]);
  });
});

describe('what clients and backends see', () => {
  async function fresh(method: string, path: string, t: TokenCase): Promise<GatewayResponse> {
    gateway.clearCache();
    return gateway.handle(request(method, path, t));
  }

  test('the backend receives the principal and the claims context', async () => {
    const response = await fresh('POST', '/colors', token('token with every scope'));
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body);
    expect(body.route).toBe('POST /colors');
    expect(body.authorizer).toMatchObject({
      principalId: LOCAL_CLIENTS.m2m,
      sub: LOCAL_CLIENTS.m2m,
      roles: JSON.stringify(['colors-editor']),
    });
    expect(body.authorizer.scope.split(' ').sort()).toEqual([...EXAMPLE_SCOPES].sort());
    expect(response.backendEvent?.pathParameters).toBeNull();

    const rbac = JSON.parse((await fresh('GET', '/files/a/b/c.txt', token('token granting through permissions only'))).body);
    expect(rbac.authorizer).toMatchObject({ principalId: LOCAL_CLIENTS.rbac, roles: JSON.stringify(['auditor']) });
    expect(rbac.authorizer.scope.split(' ').sort()).toEqual(['read:colors', 'read:files']);
  });

  test('the expired token is refused because it expired', async () => {
    if (Date.now() < expiredUsableAt) await new Promise((r) => setTimeout(r, expiredUsableAt - Date.now()));
    const response = await fresh('GET', '/colors', token('expired token'));
    expect(response.status).toBe(401);
    expect(response.authorizerLogs?.map((l) => l.reason)).toContain('expired');
  });

  test('public routes reach the backend with no authorizer context', async () => {
    const response = await fresh('GET', '/health', token('no token'));
    expect(JSON.parse(response.body)).toEqual({ route: 'GET /health', authorizer: null });
  });

  test('401 and 403 carry the JSON body, WWW-Authenticate and CORS headers from the template', async () => {
    const unauthorized = await fresh('GET', '/colors', token('no token'));
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.authorizer).toBe('identity-missing');
    expect(JSON.parse(unauthorized.body)).toEqual({ message: 'Unauthorized', error: 'invalid_token' });
    expect(unauthorized.headers).toMatchObject({ 'www-authenticate': 'Bearer error="invalid_token"', 'access-control-allow-origin': 'https://app.example.com' });

    // Refused by the authorizer for the right reason: the key of another issuer is unknown here.
    const other = await fresh('GET', '/colors', token('token from another issuer'));
    expect(other.status).toBe(401);
    expect(other.authorizer).toBe('invoked');
    expect(other.authorizerLogs?.map((l) => l.reason)).toContain('unknown_kid');

    const forbidden = await fresh('DELETE', '/colors/red', token('token with read:colors'));
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toEqual({ message: 'Forbidden', error: 'insufficient_scope' });
    expect(forbidden.headers).toMatchObject({ 'www-authenticate': 'Bearer error="insufficient_scope"', 'access-control-allow-origin': 'https://app.example.com' });
  });

  test('preflight answers with the CORS headers of the template', async () => {
    const response = await fresh('OPTIONS', '/colors/red', token('no token'));
    expect(response.status).toBe(204);
    expect(response.headers['Access-Control-Allow-Origin']).toBe('https://app.example.com');
    expect(response.headers['Access-Control-Allow-Headers']).toContain('Authorization');
  });

  test('one authorizer call per token serves every route while cached', async () => {
    gateway.clearCache();
    const before = gateway.authorizerInvocations;
    const t = token('token with read:colors read:files');
    const statuses = [];
    for (const r of REQUESTS) statuses.push((await gateway.handle(request(r.method, r.path, t))).status);
    expect(statuses).toEqual(REQUESTS.map((r) => expectedStatus(r.route, t)));
    expect(gateway.authorizerInvocations - before).toBe(1);
  });

  test('unknown paths and methods are answered by API Gateway itself', async () => {
    const t = token('token with every scope');
    // {proxy+} needs at least one segment; PATCH has no method on /colors; /nowhere has no resource.
    for (const [method, path] of [['GET', '/files'], ['PATCH', '/colors'], ['GET', '/nowhere']]) {
      const response = await fresh(method, path, t);
      expect({ method, path, status: response.status, errorType: response.errorType })
        .toEqual({ method, path, status: 403, errorType: 'MISSING_AUTHENTICATION_TOKEN' });
      expect(response.authorizer).toBeUndefined();
    }
  });
});

/**
 * Scopes and the policy the shipped bundle returns, in both policy scopes, evaluated the way
 * API Gateway evaluates it (wildcards crossing `/`, explicit Deny wins).
 */
import { evaluatePolicy, examplePath, methodArn, requestEvent, statusFor } from '../support/api-gateway';
import { TEST_ROUTES } from '../support/authorizer-config';
import { AuthorizerFixture } from '../support/fixture';

jest.setTimeout(15_000);

describe('policyScope route', () => {
  let f: AuthorizerFixture;
  beforeAll(async () => {
    f = await AuthorizerFixture.start({ policyScope: 'route' });
  });
  afterAll(async () => {
    await f?.stop();
  });
  beforeEach(() => f.authorizer.clearOutput());

  test('a valid token lacking the route scope is denied (403)', async () => {
    const { status } = await f.call({ method: 'GET', resource: '/colors', token: f.minter.accessToken({ scope: 'read:items' }) });
    expect(status).toBe(403);
  });

  test('a 403 logs insufficient_scope with route, sub and the missing scopes', async () => {
    await f.call({ method: 'POST', resource: '/colors', token: f.minter.accessToken({ sub: 'auth0|bob', scope: 'read:colors' }) });
    expect(f.lastRefusal()).toMatchObject({ reason: 'insufficient_scope', route: 'POST /colors', sub: 'auth0|bob', missingScopes: ['write:colors'], status: 403 });
  });

  test('a scope granted through Auth0 RBAC permissions is accepted', async () => {
    const { status } = await f.call({ method: 'GET', resource: '/colors', token: f.minter.accessToken({ permissions: ['read:colors'] }) });
    expect(status).toBe(200);
  });

  test('a scope granted through scp as a list is accepted', async () => {
    const { status } = await f.call({ method: 'GET', resource: '/colors', token: f.minter.accessToken({ scp: ['read:colors'] }) });
    expect(status).toBe(200);
  });

  test('a scope granted through scp as a space-delimited string is accepted', async () => {
    const { status } = await f.call({ method: 'GET', resource: '/colors', token: f.minter.accessToken({ scp: 'openid read:colors' }) });
    expect(status).toBe(200);
  });

  test('scopes from scope, scp and permissions add up to satisfy a route', async () => {
    const token = f.minter.accessToken({ scope: 'read:colors', permissions: ['write:colors'] });
    const { status, result } = await f.call({ method: 'POST', resource: '/colors', token });
    expect(status).toBe(200);
    expect(result?.context?.scope).toBe('read:colors write:colors');
  });

  test('a permissions entry that is not one scope token grants nothing: "x write:colors" does not grant write:colors', async () => {
    const token = f.minter.accessToken({ permissions: ['read:colors', 'x write:colors'] });
    const post = await f.call({ method: 'POST', resource: '/colors', token });
    expect(post.status).toBe(403);
    expect(f.lastRefusal()).toMatchObject({ reason: 'insufficient_scope', missingScopes: ['write:colors'] });
    const get = await f.call({ method: 'GET', resource: '/colors', token });
    expect(get.status).toBe(200);
    // The backend reads the grants joined by spaces: the dropped entry must not be in them.
    expect(get.result?.context?.scope).toBe('read:colors');
  });

  test('a dropped grant is logged with its claim and count, never its text', async () => {
    const token = f.minter.accessToken({ permissions: ['read:colors', 'x write:colors'], scp: ['read:items', 'bad"quote', 'back\\slash', 'caf\u00e9', 'tab\there', ''] });
    const { status, result } = await f.call({ method: 'GET', resource: '/colors', token });
    expect(status).toBe(200);
    expect(result?.context?.scope).toBe('read:items read:colors');
    const dropped = f.authorizer.logLines().filter((line) => line.reason === 'invalid_scope_token');
    expect(dropped).toEqual([
      expect.objectContaining({ level: 'WARN', claim: 'scp', dropped: 5, route: 'GET /colors', sub: 'auth0|user-1' }),
      expect.objectContaining({ level: 'WARN', claim: 'permissions', dropped: 1, route: 'GET /colors', sub: 'auth0|user-1' }),
    ]);
    for (const text of ['x write:colors', 'bad"quote', 'back\\slash', 'caf\u00e9', 'tab\there']) {
      expect(f.authorizer.output).not.toContain(text);
      expect(f.authorizer.output).not.toContain(JSON.stringify(text).slice(1, -1));
    }
  });

  test('a scope string split on anything but a space grants nothing from that entry', async () => {
    const token = f.minter.accessToken({ scope: 'read:colors\twrite:colors' });
    const { status, result } = await f.call({ method: 'GET', resource: '/colors', token });
    expect(status).toBe(403);
    expect(result?.context?.scope).toBe('');
    expect(f.authorizer.logLines()).toContainEqual(expect.objectContaining({ reason: 'invalid_scope_token', claim: 'scope', dropped: 1 }));
  });

  test('read:colorsX does not satisfy read:colors', async () => {
    const { status } = await f.call({ method: 'GET', resource: '/colors', token: f.minter.accessToken({ scope: 'read:colorsX' }) });
    expect(status).toBe(403);
  });

  test('a scope prefix does not satisfy the scope (read:color)', async () => {
    const { status } = await f.call({ method: 'GET', resource: '/colors', token: f.minter.accessToken({ permissions: ['read:color', 'READ:COLORS'] }) });
    expect(status).toBe(403);
  });

  test.each([
    ['scope as a list', { scope: ['read:colors'] }],
    ['scp as a number', { scp: 1 }],
    ['permissions as a string', { permissions: 'read:colors' }],
    ['permissions with a non-string', { permissions: ['read:colors', 7] }],
  ])('a grants claim of the wrong type is refused (401): %s', async (_name, claims) => {
    const { status } = await f.call({ method: 'GET', resource: '/colors', token: f.minter.accessToken(claims) });
    expect(status).toBe(401);
    expect(f.lastRefusal()).toMatchObject({ reason: 'invalid_claims', sub: 'auth0|user-1' });
  });

  test('a route without scopes is allowed for any valid token', async () => {
    const { status } = await f.call({ method: 'GET', resource: '/me', token: f.minter.accessToken({}) });
    expect(status).toBe(200);
  });

  test('an ANY route is found for every method and its pattern allows the request', async () => {
    const token = f.minter.accessToken({ scope: 'admin' });
    for (const method of ['GET', 'DELETE', 'PATCH']) {
      const { status, result } = await f.call({ method, resource: '/admin/{proxy+}', path: '/admin/users/7', token });
      expect(status).toBe(200);
      expect(result?.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    }
  });

  test('the policy decides only the requested route: Allow of its own pattern', async () => {
    const { result } = await f.call({ method: 'GET', resource: '/items/{id}', token: f.minter.accessToken({ scope: 'read:items' }) });
    expect(result?.policyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/items/?*'] }],
    });
  });

  test('a route the configuration does not know is denied (403) and logged as an error', async () => {
    const { status, result } = await f.call({ method: 'GET', resource: '/unknown', token: f.minter.accessToken({ scope: 'read:colors admin' }) });
    expect(status).toBe(403);
    expect(result?.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*'] },
    ]);
    expect(f.lastRefusal()).toMatchObject({ level: 'ERROR', reason: 'unknown_route', route: 'GET /unknown' });
  });

  test('the policy is for the stage and API of the request', async () => {
    const { status, result } = await f.call({ method: 'GET', resource: '/colors', stage: 'dev', apiId: 'zzz999', token: f.minter.accessToken({ scope: 'read:colors' }) });
    expect(status).toBe(200);
    expect(result?.policyDocument.Statement[0]).toMatchObject({ Resource: ['arn:aws:execute-api:us-east-1:123456789012:zzz999/dev/GET/colors', 'arn:aws:execute-api:us-east-1:123456789012:zzz999/dev/GET/colors/'] });
  });
});

describe('policyScope api', () => {
  let f: AuthorizerFixture;
  beforeAll(async () => {
    f = await AuthorizerFixture.start({ policyScope: 'api' });
  });
  afterAll(async () => {
    await f?.stop();
  });
  beforeEach(() => f.authorizer.clearOutput());

  /** Every route, with the status a cached policy gives it. */
  function statusesUnder(policy: Parameters<typeof evaluatePolicy>[0]): Record<string, 'allow' | 'deny'> {
    const out: Record<string, 'allow' | 'deny'> = {};
    for (const route of TEST_ROUTES) {
      for (const method of route.method === 'ANY' ? ['GET', 'POST', 'DELETE'] : [route.method]) {
        out[`${method} ${route.path}`] = evaluatePolicy(policy, methodArn(method, examplePath(route.path)));
      }
    }
    return out;
  }

  test('one policy decides every route as the route table says, exactly as a fresh call on that route would', async () => {
    const grantSets = ['', 'read:colors', 'read:colors write:colors', 'read:items', 'admin', 'read:colors read:items admin write:colors'];
    for (const scope of grantSets) {
      const granted = scope.split(' ');
      const token = f.minter.accessToken({ scope });
      const first = await f.call({ method: 'GET', resource: '/me', token });
      expect(first.status).toBe(200);
      const cached = statusesUnder(first.result!.policyDocument);
      for (const route of TEST_ROUTES) {
        // What the route table requires decides; a fresh call must agree with the cached policy.
        const expected = route.scopes.every((s) => granted.includes(s)) ? 'allow' : 'deny';
        for (const method of route.method === 'ANY' ? ['GET', 'POST', 'DELETE'] : [route.method]) {
          const event = requestEvent({ method, resource: route.path, token });
          const fresh = statusFor(await f.authorizer.invoke(event), event.methodArn);
          expect({ scope, route: `${method} ${route.path}`, cached: cached[`${method} ${route.path}`], fresh: fresh === 200 ? 'allow' : 'deny' })
            .toEqual({ scope, route: `${method} ${route.path}`, cached: expected, fresh: expected });
        }
      }
    }
  });

  test('a token lacking the requested route scope is denied (403) with insufficient_scope logged', async () => {
    const { status } = await f.call({ method: 'GET', resource: '/items/{id}', token: f.minter.accessToken({ scope: 'read:colors' }) });
    expect(status).toBe(403);
    expect(f.lastRefusal()).toMatchObject({ reason: 'insufficient_scope', route: 'GET /items/{id}', missingScopes: ['read:items'] });
  });

  test('a route the configuration does not know gets a Deny of the whole stage, not the token\'s Allow list (403)', async () => {
    const { status, result } = await f.call({ method: 'GET', resource: '/unknown', token: f.minter.accessToken({ scope: 'read:colors admin' }) });
    expect(status).toBe(403);
    expect(result?.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*'] },
    ]);
    expect(f.lastRefusal()).toMatchObject({ reason: 'unknown_route', route: 'GET /unknown' });
  });

  test('an ANY route is allowed as each concrete method, never as a * that would cross /', async () => {
    const { result } = await f.call({ method: 'GET', resource: '/me', token: f.minter.accessToken({ scope: 'admin' }) });
    const resources = result!.policyDocument.Statement[0] as unknown as { Resource: string[] };
    expect(resources.Resource).toEqual(expect.arrayContaining([
      'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/admin/?*',
      'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/OPTIONS/admin/?*',
    ]));
    expect(resources.Resource.filter((r) => r.includes('prod/*'))).toEqual([]);
  });

  test('a token matching no scoped route is allowed exactly the routes that need no scope', async () => {
    const { result } = await f.call({ method: 'GET', resource: '/colors', token: f.minter.accessToken({ scope: 'nothing' }) });
    expect(result?.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/me', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/me/'] },
    ]);
  });
});

describe('policyScope api with every route scoped', () => {
  let f: AuthorizerFixture;
  beforeAll(async () => {
    f = await AuthorizerFixture.start({ policyScope: 'api', routes: TEST_ROUTES.filter((r) => r.scopes.length > 0) });
  });
  afterAll(async () => {
    await f?.stop();
  });

  test('a token allowed nowhere gets one explicit Deny of the whole stage (403)', async () => {
    const { status, result } = await f.call({ method: 'GET', resource: '/colors', token: f.minter.accessToken({ scope: 'nothing' }) });
    expect(status).toBe(403);
    expect(result?.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: ['arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*'] },
    ]);
  });
});

import { AuthorizerRoute, policyPatternsOf } from '../../src/authorizer/authorizer-config';
import { choosePolicyScope, parseRoute, patternMatchesSomeRequest, resourcePattern } from '../../src/authorizer/routes';

const route = (text: string, scopes: string[] = []): AuthorizerRoute => {
  const parsed = parseRoute(text, 'test');
  return { method: parsed.method, path: parsed.path, scopes, resourcePattern: resourcePattern(parsed) };
};

describe('route patterns', () => {
  test.each([
    // A parameter holds at least one character: `?*`, so `GET/items/?*` never matches `GET/items/`.
    ['GET /', 'GET/'],
    ['GET /items/{id}', 'GET/items/?*'],
    ['ANY /files/{proxy+}', '*/files/?*'],
    ['DELETE /a/{b}/c/{d}', 'DELETE/a/?*/c/?*'],
  ])('%s becomes the policy resource %s', (text, pattern) => {
    expect(resourcePattern(parseRoute(text, 'test'))).toBe(pattern);
  });

  test('an ANY route is allowed as each concrete method, never as a * that crosses /', () => {
    // `*/` would also match `GET/colors/` (a trailing slash kept in the method ARN).
    expect(policyPatternsOf(route('ANY /'))).toEqual(['GET/', 'POST/', 'PUT/', 'PATCH/', 'DELETE/', 'HEAD/', 'OPTIONS/']);
    expect(policyPatternsOf(route('ANY /files/{proxy+}'))).toContain('PATCH/files/?*');
    expect(policyPatternsOf(route('GET /items/{id}'))).toEqual(['GET/items/?*']);
  });

  test.each([
    // API Gateway's * crosses '/': a parameter pattern reaches deeper routes.
    ['GET/items/?*', 'GET /items/{id}/secret', true],
    ['GET/items/?*', 'GET /items/featured', true],
    ['GET/items/featured', 'GET /items/{id}', true],
    ['GET/files/?*', 'GET /files/{proxy+}', true],
    ['GET/files/?*', 'ANY /files/{proxy+}', true],
    ['GET/colors/?*', 'ANY /files/{proxy+}', false],
    ['GET/colors', 'GET /colors/{name}', false],
    ['GET/colors/?*', 'POST /colors/{name}', false],
    ['GET/a/?*', 'GET /a/{b}', true],
    ['GET/', 'GET /{id}', false],
    // A trailing slash kept in the method ARN: GET/colors/ is routed to /colors; a parameter needs one character.
    ['GET/colors/?*', 'GET /colors', false],
    ['GET/colors/', 'GET /colors', true],
    // A parameter may hold a decoded %2F: GET /colors/{name} reaches GET/colors/a/b.
    ['GET/colors/a/?*', 'GET /colors/{name}', true],
    ['GET/files/?*', 'GET /colors/{name}', false],
    // Policy matching might ignore case.
    ['GET/Colors', 'GET /colors', true],
    ['GET/items/featured', 'GET /items/FEATURED', true],
  ])('%s matches a request of %s: %s', (pattern, text, expected) => {
    expect(patternMatchesSomeRequest(pattern, route(text))).toBe(expected);
  });

  test('a table without capturing patterns lets one decision serve every route', () => {
    expect(choosePolicyScope([
      route('GET /colors', ['read:colors']),
      route('POST /colors', ['write:colors']),
      route('GET /colors/{name}', ['read:colors']),
      route('ANY /files/{proxy+}', ['read:files']),
      route('GET /', []),
    ])).toBe('api');
  });

  test('a parameter route that captures a stricter route forces per-route decisions', () => {
    expect(choosePolicyScope([route('GET /items/{id}', ['read:items']), route('GET /items/{id}/secret', ['admin'])])).toBe('route');
  });

  test('a broader route whose scopes include the narrower one\'s is harmless', () => {
    expect(choosePolicyScope([route('GET /items/{id}', ['admin', 'read:items']), route('GET /items/{id}/secret', ['admin', 'read:items'])])).toBe('api');
  });

  test('a deeper route reaches its parameter parent when a %2F in the parameter is decoded', () => {
    // GET/items/?*/secret matches GET/items/a/secret: the method ARN of GET /items/a%2Fsecret, decoded.
    expect(choosePolicyScope([route('GET /items/{id}', ['admin', 'read:items']), route('GET /items/{id}/secret', ['admin'])])).toBe('route');
  });

  test('a parameter route next to a literal route differing only in case forces per-route decisions', () => {
    // If policy matching ignores case, GET/Admin/?* would reach GET /admin/{id}.
    expect(choosePolicyScope([route('GET /Admin/{id}', []), route('GET /admin/{id}', ['admin'])])).toBe('route');
  });

  test('a trailing slash alone does not make a parameter route capture its parent', () => {
    expect(choosePolicyScope([route('GET /colors/{name}', []), route('GET /colors', ['read:colors'])])).toBe('api');
  });

  test('ANY / no longer captures every path that ends in /', () => {
    expect(choosePolicyScope([route('ANY /', []), route('GET /colors', ['read:colors']), route('GET /colors/{name}', ['read:colors'])])).toBe('api');
  });

  test('an ANY route with other scopes than a method on the same path forces per-route decisions', () => {
    expect(choosePolicyScope([route('ANY /things', ['a']), route('GET /things', ['b'])])).toBe('route');
  });
});

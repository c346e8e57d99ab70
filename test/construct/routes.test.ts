import { AuthorizerRoute } from '../../src/authorizer-config';
import { choosePolicyScope, parseRoute, patternMatchesSomeRequest, resourcePattern } from '../../src/routes';

const route = (text: string, scopes: string[] = []): AuthorizerRoute => {
  const parsed = parseRoute(text, 'test');
  return { method: parsed.method, path: parsed.path, scopes, resourcePattern: resourcePattern(parsed) };
};

describe('route patterns', () => {
  test.each([
    ['GET /', 'GET/'],
    ['GET /items/{id}', 'GET/items/*'],
    ['ANY /files/{proxy+}', '*/files/*'],
    ['DELETE /a/{b}/c/{d}', 'DELETE/a/*/c/*'],
  ])('%s becomes the policy resource %s', (text, pattern) => {
    expect(resourcePattern(parseRoute(text, 'test'))).toBe(pattern);
  });

  test.each([
    // API Gateway's * crosses '/': a parameter pattern reaches deeper routes.
    ['GET/items/*', 'GET /items/{id}/secret', true],
    ['GET/items/*', 'GET /items/featured', true],
    ['GET/items/featured', 'GET /items/{id}', true],
    ['*/files/*', 'GET /files/{proxy+}', true],
    ['*/files/*', 'POST /files/{proxy+}', true],
    // A request for GET /colors/{name} never contains a second '/', so it never reaches /files.
    ['*/files/*', 'GET /colors/{name}', false],
    ['GET/colors/*', 'ANY /files/{proxy+}', false],
    ['GET/colors', 'GET /colors/{name}', false],
    ['GET/colors/*', 'GET /colors', false],
    ['GET/colors/*', 'POST /colors/{name}', false],
    ['*/a/*', 'GET /a/{b}', true],
    ['GET/', 'GET /{id}', false],
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
    expect(choosePolicyScope([route('GET /items/{id}', ['admin', 'read:items']), route('GET /items/{id}/secret', ['admin'])])).toBe('api');
  });

  test('an ANY route with other scopes than a method on the same path forces per-route decisions', () => {
    expect(choosePolicyScope([route('ANY /things', ['a']), route('GET /things', ['b'])])).toBe('route');
  });
});

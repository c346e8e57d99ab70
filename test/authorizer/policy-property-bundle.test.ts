/**
 * The policy property of policy-property.test.ts, on the shipped bundle with real tokens: for two
 * route tables built by the construct's RouteTable (one it decides per token, one per route), the
 * policy the authorizer returns for a request (or, per token, for the token's first request, as
 * API Gateway caches it) never allows a reading of a request's method ARN that a fresh decision
 * on the route reached would refuse.
 */
import fc from 'fast-check';
import { evaluatePolicy, examplePath } from '../support/api-gateway';
import { AuthorizerFixture } from '../support/fixture';
import { arnReadings, buildTable, holds, requestSegments, routing, sentPath, type RouteSpec } from '../support/route-requests';

jest.setTimeout(120_000);

const RUNS_PER_TABLE = 300;
const SCOPES = ['read:colors', 'write:colors', 'read:files', 'read:items', 'admin'];
const CONCRETE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const PARAMETER_VALUES = ['red', 'featured', 'Featured', 'secret', 'a%2Fsecret', 'x%2Fy'];

const TABLES: { name: string; expected: 'api' | 'route'; specs: RouteSpec[] }[] = [
  {
    name: 'one decision per token',
    expected: 'api',
    specs: [
      { method: 'GET', path: '/colors', scopes: ['read:colors'] },
      { method: 'POST', path: '/colors', scopes: ['write:colors'] },
      { method: 'GET', path: '/colors/{name}', scopes: ['read:colors'] },
      { method: 'ANY', path: '/', scopes: [] },
      { method: 'GET', path: '/files/{name}', scopes: ['read:files'] },
    ],
  },
  {
    name: 'one decision per token and route',
    expected: 'route',
    specs: [
      { method: 'GET', path: '/items/{id}', scopes: ['read:items'] },
      { method: 'GET', path: '/items/{id}/secret', scopes: ['admin'] },
      { method: 'GET', path: '/items/featured', scopes: [] },
      { method: 'ANY', path: '/files/{proxy+}', scopes: ['read:files'] },
    ],
  },
];

describe.each(TABLES)('shipped bundle, $name', ({ expected, specs }) => {
  const built = buildTable(specs)!;
  let f: AuthorizerFixture;
  beforeAll(async () => {
    f = await AuthorizerFixture.start({ routes: built.routes, policyScope: built.scope });
  });
  afterAll(async () => {
    await f?.stop();
  });

  test(`the construct chooses ${expected} for it`, () => {
    expect(built.scope).toBe(expected);
  });

  test(`${RUNS_PER_TABLE} runs: every allow under every reading of the method ARN is a fresh allow`, async () => {
    const { routes, scope } = built;
    let allowed = 0;
    await fc.assert(fc.asyncProperty(
      fc.subarray(SCOPES), fc.nat(), fc.nat(), fc.constantFrom(...CONCRETE_METHODS),
      fc.array(fc.constantFrom(...PARAMETER_VALUES), { minLength: 4, maxLength: 4 }), fc.nat({ max: 2 }), fc.boolean(),
      async (granted, pick, firstPick, anyMethod, values, greedyExtra, trailingSlash) => {
        const grants = new Set(granted);
        const token = f.minter.accessToken({ scope: granted.join(' ') });
        const target = routes[pick % routes.length];
        const method = target.method === 'ANY' ? anyMethod : target.method;
        const segments = requestSegments(target, values, greedyExtra);
        const { reached, candidates } = routing(routes, method, segments);

        // api: the policy of the token's first request, on any route, serves this one from the cache.
        const first = routes[firstPick % routes.length];
        const call = scope === 'api'
          ? await f.call({ method: first.method === 'ANY' ? 'GET' : first.method, resource: first.path, path: examplePath(first.path), token })
          : await f.call({ method, resource: reached.path, path: sentPath(segments, trailingSlash), token });
        expect(call.result).toBeDefined();
        const policy = call.result!.policyDocument;

        const fresh = holds(reached, grants);
        for (const { arn, ignoreCase } of arnReadings(method, segments, trailingSlash)) {
          if (evaluatePolicy(policy, arn, { ignoreCase }) !== 'allow') continue;
          allowed++;
          expect({ arn, ignoreCase, fresh }).toEqual({ arn, ignoreCase, fresh: true });
          if (scope === 'api') expect(candidates.every((c) => holds(c, grants))).toBe(true);
        }
        // The request as sent, a trailing slash included, is decided exactly as a fresh call decides it.
        const asSent = evaluatePolicy(policy, arnReadings(method, segments, trailingSlash)[0].arn);
        expect({ route: `${method} ${reached.path}`, asSent }).toEqual({ route: `${method} ${reached.path}`, asSent: fresh ? 'allow' : 'deny' });
      },
    ), { numRuns: RUNS_PER_TABLE });
    expect(allowed).toBeGreaterThan(RUNS_PER_TABLE / 10);
  });
});

/**
 * Property (fast-check): over random route tables, grants and requests, the policy the authorizer
 * returns, evaluated with API Gateway's rules against every reading of the request's method ARN,
 * never allows what a fresh decision on the route the request reaches would refuse.
 *
 * The route table is built by the construct's own RouteTable (so the policy scope is the one it
 * chooses), the policy by the authorizer's own `decide`. Readings of the method ARN: the path as
 * sent or with `%2F` decoded inside a parameter, with or without a trailing `/`, and policy matching
 * with or without case. In `api` mode the policy under test is the one cached from the token's first
 * request, on any route (or on a route the configuration does not know); in `route` mode the cache
 * key includes method and resource path, so it is the policy returned for the route reached.
 */
import type { PolicyDocument } from 'aws-lambda';
import fc from 'fast-check';
import type { AuthorizerConfig, AuthorizerRoute } from '../../src/authorizer/authorizer-config';
import { API_ID, evaluatePolicy, methodArn, STAGE } from '../support/api-gateway';
import { testConfig } from '../support/authorizer-config';
import { arnReadings, buildTable, holds, requestSegments, routing, sentPath } from '../support/route-requests';
import { standaloneTable } from '../support/standalone-rest-app';

/**
 * The authorizer's own `decide` (lambda/authorizer/policy.ts, the code the bundle is built from),
 * loaded through jest rather than an import so that the library's type check, which compiles
 * test/ as CommonJS, does not follow it into the authorizer's ESM-only dependencies.
 */
type Decide = (config: AuthorizerConfig, prefix: string, method: string, resource: string, grants: ReadonlySet<string>)
=> { readonly policyDocument: PolicyDocument; readonly reason?: string };
const { decide } = jest.requireActual<{ decide: Decide }>('../../lambda/authorizer/policy');

const RUNS = 5_000;
// Each run synthesizes an app, so fewer runs, each with several requests.
const STANDALONE_RUNS = 150;
const REQUESTS_PER_TABLE = 8;
const SCOPES = ['a', 'b', 'c'];
// Literals that differ only in case, and that can stand in for a parameter's value.
const LITERALS = ['x', 'X', 'items'];
const PARAMETER_VALUES = ['x', 'X', 'items', 'v', 'a%2Fb', 'items%2Fx'];
const CONCRETE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const PREFIX = `arn:aws:execute-api:us-east-1:123456789012:${API_ID}/${STAGE}`;

/** One route template: up to three segments, literal or parameter, maybe a greedy last one. */
const template = fc.tuple(fc.array(fc.constantFrom(...LITERALS, '{p}'), { maxLength: 3 }), fc.boolean())
  .map(([segments, greedy]) => {
    const named = segments.map((s, i) => (s === '{p}' ? `{p${i}}` : s));
    if (greedy) named.push('{proxy+}');
    return `/${named.join('/')}`;
  });
const routeSpec = fc.record({
  method: fc.constantFrom('GET', 'POST', 'ANY'),
  path: template,
  scopes: fc.subarray(SCOPES),
});

const config = (routes: AuthorizerRoute[], policyScope: 'api' | 'route'): AuthorizerConfig =>
  testConfig({ issuer: 'https://issuer.example/', jwksUri: 'https://issuer.example/jwks.json' }, { routes, policyScope });

/** One random request against one route table, as the property draws it. */
interface Draw {
  readonly granted: string[];
  readonly pick: number;
  readonly firstPick: number;
  readonly anyMethod: string;
  readonly values: string[];
  readonly greedyExtra: number;
  readonly firstUnknown: boolean;
  /** Whether the request is sent with a trailing slash, which API Gateway routes like the bare path. */
  readonly trailingSlash: boolean;
}

/**
 * The property for one request: the policy deciding it (cached from the token's first request in
 * `api` mode, the reached route's own in `route` mode), evaluated against every reading of its
 * method ARN, never allows what a fresh decision would refuse. Returns how many readings it checked
 * and how many the policy allowed.
 */
function checkRequest(built: { routes: AuthorizerRoute[]; scope: 'api' | 'route' }, draw: Draw): { checked: number; allowed: number; trailingSlash: boolean } {
  const { routes, scope } = built;
  const { pick, firstPick, anyMethod, values, greedyExtra, firstUnknown, trailingSlash } = draw;
  const grants = new Set(draw.granted);
  const cfg = config(routes, scope);
  let checked = 0;
  let allowed = 0;

  // A request aimed at one route, its parameters filled with values that may reach another route.
  const target = routes[pick % routes.length];
  const method = target.method === 'ANY' ? anyMethod : target.method;
  const segments = requestSegments(target, values, greedyExtra);
  const { reached, candidates } = routing(routes, method, segments);

  const first = routes[firstPick % routes.length];
  const policy = scope === 'api'
    ? decide(cfg, PREFIX, firstUnknown ? 'GET' : (first.method === 'ANY' ? 'GET' : first.method), firstUnknown ? '/not-configured' : first.path, grants).policyDocument
    : decide(cfg, PREFIX, method, reached.path, grants).policyDocument;

  const fresh = holds(reached, grants);
  for (const { arn, ignoreCase } of arnReadings(method, segments, trailingSlash)) {
    checked++;
    if (evaluatePolicy(policy, arn, { ignoreCase }) === 'allow') {
      allowed++;
      // Never a wrong allow; in api mode not even for a route the request could reach by another reading.
      expect({ arn, ignoreCase, scope, fresh }).toEqual({ arn, ignoreCase, scope, fresh: true });
      if (scope === 'api') expect(candidates.every((c) => holds(c, grants))).toBe(true);
    }
  }
  // A trailing slash reaches the same route as the bare path (API Gateway routes it so).
  const sent = sentPath(segments, trailingSlash);
  // And not a policy that denies everything: the request as sent is decided exactly as a fresh call.
  const asSent = evaluatePolicy(policy, methodArn(method, sent));
  if (!(scope === 'api' && firstUnknown)) expect({ sent, decision: asSent }).toEqual({ sent, decision: fresh ? 'allow' : 'deny' });
  return { checked, allowed, trailingSlash: trailingSlash && segments.length > 0 };
}

describe('policies never allow a route the token may not call', () => {
  test(`${RUNS} random route tables, grants and method ARN readings: every allow is a fresh allow`, () => {
    let checked = 0;
    let allowed = 0;
    let routeMode = 0;
    let withTrailingSlash = 0;
    fc.assert(fc.property(
      fc.array(routeSpec, { minLength: 1, maxLength: 6 }),
      fc.subarray(SCOPES),
      fc.nat(), fc.nat(), fc.constantFrom(...CONCRETE_METHODS),
      fc.array(fc.constantFrom(...PARAMETER_VALUES), { minLength: 4, maxLength: 4 }),
      fc.nat({ max: 2 }),
      fc.boolean(),
      fc.boolean(),
      (specs, granted, pick, firstPick, anyMethod, values, greedyExtra, firstUnknown, trailingSlash) => {
        const built = buildTable(specs);
        if (!built) return;
        const outcome = checkRequest(built, { granted, pick, firstPick, anyMethod, values, greedyExtra, firstUnknown, trailingSlash });
        checked += outcome.checked;
        allowed += outcome.allowed;
        if (outcome.trailingSlash) withTrailingSlash++;
        if (built.scope === 'route') routeMode++;
      },
    ), { numRuns: RUNS });
    // The generators reach both modes and both outcomes.
    expect(routeMode).toBeGreaterThan(RUNS / 20);
    expect(allowed).toBeGreaterThan(RUNS / 10);
    expect(checked).toBeGreaterThan(RUNS * 4);
    expect(withTrailingSlash).toBeGreaterThan(RUNS / 5);
  });

  test(`${STANDALONE_RUNS} route tables a standalone Auth0RestAuthorizer collects from a synthesized app, ${REQUESTS_PER_TABLE} requests each: every allow is a fresh allow`, () => {
    let tables = 0;
    let checked = 0;
    let allowed = 0;
    let routeMode = 0;
    const draw = fc.record({
      granted: fc.subarray(SCOPES),
      pick: fc.nat(),
      firstPick: fc.nat(),
      anyMethod: fc.constantFrom(...CONCRETE_METHODS),
      values: fc.array(fc.constantFrom(...PARAMETER_VALUES), { minLength: 4, maxLength: 4 }),
      greedyExtra: fc.nat({ max: 2 }),
      firstUnknown: fc.boolean(),
      trailingSlash: fc.boolean(),
    });
    fc.assert(fc.property(
      fc.array(routeSpec, { minLength: 1, maxLength: 6 }),
      fc.array(draw, { minLength: REQUESTS_PER_TABLE, maxLength: REQUESTS_PER_TABLE }),
      (specs, draws) => {
        const built = standaloneTable(specs);
        if (!built) return;
        tables++;
        // The collected table is the construct's: same routes, scopes and policy scope (in construct-tree order).
        const byKey = (routes: AuthorizerRoute[]) => [...routes].sort((a, b) => `${a.method} ${a.path}`.localeCompare(`${b.method} ${b.path}`));
        const expected = buildTable(specs)!;
        expect({ routes: byKey(built.routes), scope: built.scope }).toEqual({ routes: byKey(expected.routes), scope: expected.scope });
        if (built.scope === 'route') routeMode++;
        for (const d of draws) {
          const outcome = checkRequest(built, d);
          checked += outcome.checked;
          allowed += outcome.allowed;
        }
      },
    ), { numRuns: STANDALONE_RUNS });
    expect(tables).toBe(STANDALONE_RUNS);
    expect(routeMode).toBeGreaterThan(STANDALONE_RUNS / 20);
    expect(allowed).toBeGreaterThan(STANDALONE_RUNS);
    expect(checked).toBeGreaterThan(STANDALONE_RUNS * REQUESTS_PER_TABLE * 4);
  }, 300_000);

  test('a request for a route the configuration does not know gets a Deny of the whole API, in api mode too', () => {
    const built = buildTable([{ method: 'GET', path: '/colors', scopes: [] }, { method: 'POST', path: '/colors', scopes: ['a'] }])!;
    expect(built.scope).toBe('api');
    const decision = decide(config(built.routes, 'api'), PREFIX, 'GET', '/new-route', new Set(['a']));
    expect(decision.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${PREFIX}/*`] }]);
    expect(decision.reason).toBe('unknown_route');
  });
});

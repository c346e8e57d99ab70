/**
 * Property (fast-check): over random route tables, grants and requests, the policy the authorizer
 * returns, evaluated with API Gateway's rules against every reading of the request's method ARN,
 * never allows what a fresh decision on the route the request reaches would refuse.
 *
 * The route table is built by the construct's own RouteTable (so the policy scope is the one it
 * chooses), the policy by the authorizer's own `decide`. Readings of the method ARN: the path as
 * sent or with `%2F` decoded inside a parameter, with or without a trailing `/` (the request itself
 * may be sent with one: API Gateway routes it like the bare path), and policy matching
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

/**
 * The authorizer's own `decide` (lambda/authorizer/policy.ts, the code the bundle is built from),
 * loaded through jest rather than an import so that the library's type check, which compiles
 * test/ as CommonJS, does not follow it into the authorizer's ESM-only dependencies.
 */
type Decide = (config: AuthorizerConfig, prefix: string, method: string, resource: string, grants: ReadonlySet<string>)
=> { readonly policyDocument: PolicyDocument; readonly reason?: string };
const { decide } = jest.requireActual<{ decide: Decide }>('../../lambda/authorizer/policy');

const RUNS = 5_000;
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
        const { routes, scope } = built;
        const grants = new Set(granted);
        const cfg = config(routes, scope);

        // A request aimed at one route, its parameters filled with values that may reach another route.
        const target = routes[pick % routes.length];
        const method = target.method === 'ANY' ? anyMethod : target.method;
        const segments = requestSegments(target, values, greedyExtra);
        const { reached, candidates } = routing(routes, method, segments);

        // The policy deciding this request: cached from the token's first request (api), or the reached route's own (route).
        const first = routes[firstPick % routes.length];
        const policy = scope === 'api'
          ? decide(cfg, PREFIX, firstUnknown ? 'GET' : (first.method === 'ANY' ? 'GET' : first.method), firstUnknown ? '/not-configured' : first.path, grants).policyDocument
          : decide(cfg, PREFIX, method, reached.path, grants).policyDocument;

        const fresh = holds(reached, grants);
        if (trailingSlash && segments.length > 0) withTrailingSlash++;
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
        if (scope === 'route') routeMode++;
        if (!(scope === 'api' && firstUnknown)) expect({ sent, decision: asSent }).toEqual({ sent, decision: fresh ? 'allow' : 'deny' });
      },
    ), { numRuns: RUNS });
    // The generators reach both modes and both outcomes.
    expect(routeMode).toBeGreaterThan(RUNS / 20);
    expect(allowed).toBeGreaterThan(RUNS / 10);
    expect(checked).toBeGreaterThan(RUNS * 4);
    expect(withTrailingSlash).toBeGreaterThan(RUNS / 5);
  });

  test('a request for a route the configuration does not know gets a Deny of the whole API, in api mode too', () => {
    const built = buildTable([{ method: 'GET', path: '/colors', scopes: [] }, { method: 'POST', path: '/colors', scopes: ['a'] }])!;
    expect(built.scope).toBe('api');
    const decision = decide(config(built.routes, 'api'), PREFIX, 'GET', '/new-route', new Set(['a']));
    expect(decision.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${PREFIX}/*`] }]);
    expect(decision.reason).toBe('unknown_route');
  });
});

/** Valid authorizer configurations for tests, pointed at a loopback JWKS server. */
import { AUTHORIZER_CONFIG_VERSION, type AuthorizerConfig, type AuthorizerRoute } from '../../src/authorizer/authorizer-config';

export const TEST_AUDIENCE = 'https://api.example.com';

/** A small route table: exact, parameterised, `ANY` + `{proxy+}`, and a route with no scope. */
export const TEST_ROUTES: AuthorizerRoute[] = [
  { method: 'GET', path: '/colors', scopes: ['read:colors'], resourcePattern: 'GET/colors' },
  { method: 'POST', path: '/colors', scopes: ['read:colors', 'write:colors'], resourcePattern: 'POST/colors' },
  { method: 'GET', path: '/items/{id}', scopes: ['read:items'], resourcePattern: 'GET/items/?*' },
  { method: 'ANY', path: '/admin/{proxy+}', scopes: ['admin'], resourcePattern: '*/admin/?*' },
  { method: 'GET', path: '/me', scopes: [], resourcePattern: 'GET/me' },
];

export interface IssuerEndpoints {
  readonly issuer: string;
  readonly jwksUri: string;
}

/** A valid configuration for `endpoints` (e.g. a {@link JwksServer}) with short, test-friendly JWKS timings. */
export function testConfig(endpoints: IssuerEndpoints, overrides: Partial<AuthorizerConfig> = {}): AuthorizerConfig {
  return {
    version: AUTHORIZER_CONFIG_VERSION,
    issuer: endpoints.issuer,
    audience: TEST_AUDIENCE,
    jwksUri: endpoints.jwksUri,
    algorithms: ['RS256'],
    clockToleranceSeconds: 5,
    policyScope: 'route',
    routes: TEST_ROUTES,
    contextClaims: { email: 'https://example.com/email', roles: 'https://example.com/roles' },
    jwksTimeoutMs: 1_000,
    jwksCooldownMs: 30_000,
    jwksCacheMaxAgeMs: 600_000,
    jwksStaleMaxAgeMs: 3_600_000,
    ...overrides,
  };
}

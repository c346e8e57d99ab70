// A real OpenID provider (oidc-provider, OpenID Certified) on 127.0.0.1, standing in for an Auth0
// tenant: one resource server (the API's audience), machine-to-machine clients with the
// client_credentials grant, RS256-signed JWT access tokens carrying `scope`, an Auth0-style
// `permissions` claim and a namespaced custom claim. ESM only, so it runs in its own process.
//
// Environment: ISSUER_AUDIENCE (required), ISSUER_SCOPES (space-separated), ISSUER_PORT (0: any free port).
// Prints one JSON line `{"issuer":..., "tokenEndpoint":..., "jwksUri":..., "clients":[...]}` once listening.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const audience = process.env.ISSUER_AUDIENCE;
if (!audience) throw new Error('ISSUER_AUDIENCE is required');
const scopes = (process.env.ISSUER_SCOPES ?? '').split(' ').filter(Boolean);
const port = Number(process.env.ISSUER_PORT ?? 0);

/** The namespaced custom claim, as an Auth0 post-login Action would set it. */
export const ROLES_CLAIM = 'https://example.com/roles';

/**
 * Machine-to-machine applications. `permissions` is what Auth0 RBAC would put in the token for
 * the application; when absent, the token's permissions are its granted scopes (Auth0 with RBAC
 * and "Add Permissions in the Access Token" puts both).
 */
const CLIENTS = [
  { client_id: 'example-m2m', client_secret: 'local-dev-secret', roles: ['colors-editor'] },
  // Grants only through `permissions`, with no `scope` at all.
  { client_id: 'example-rbac', client_secret: 'local-dev-secret', roles: ['auditor'], permissions: ['read:colors', 'read:files'] },
  // Tokens that expire one second after they are issued.
  { client_id: 'example-short-lived', client_secret: 'local-dev-secret', roles: [], ttl: 1 },
];
const byId = new Map(CLIENTS.map((c) => [c.client_id, c]));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
// A random kid: two providers started in the same millisecond (the e2e tests start two) must not share one,
// or a token of the other issuer is refused as bad_signature instead of unknown_kid.
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: `local-${randomUUID()}`, alg: 'RS256', use: 'sig' };

const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});
// Auth0 writes `iss` with a trailing slash; so does this provider.
const issuer = `http://127.0.0.1:${server.address().port}/`;

const provider = new Provider(issuer, {
  clients: CLIENTS.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: ['local-issuer-cookie-key'] },
  // Where Auth0 publishes its keys, and where the construct looks by default: {issuer}.well-known/jwks.json.
  routes: { jwks: '/.well-known/jwks.json' },
  scopes,
  ttl: { ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: false },
    revocation: { enabled: false },
    resourceIndicators: {
      enabled: true,
      // A token request without `resource` is for the API, as Auth0's default audience.
      defaultResource: async () => audience,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resourceIndicator, client) => {
        if (resourceIndicator !== audience) throw new Provider.errors.InvalidTarget();
        return {
          scope: scopes.join(' '),
          audience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: byId.get(client.clientId)?.ttl ?? 600,
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  extraTokenClaims: async (_ctx, token) => {
    const client = byId.get(token.clientId);
    if (!client) return undefined;
    const granted = (token.scope ?? '').split(' ').filter(Boolean);
    return { permissions: client.permissions ?? granted, [ROLES_CLAIM]: client.roles };
  },
});
provider.on('server_error', (_ctx, error) => console.error(`local issuer: ${error.message}`));
server.on('request', provider.callback());

const stop = () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Started over IPC: never outlive the parent.
process.on('disconnect', stop);

process.stdout.write(`${JSON.stringify({
  issuer,
  tokenEndpoint: new URL('token', issuer).href,
  jwksUri: new URL('.well-known/jwks.json', issuer).href,
  audience,
  scopes,
  clients: CLIENTS.map(({ client_id, client_secret }) => ({ client_id, client_secret })),
})}\n`);

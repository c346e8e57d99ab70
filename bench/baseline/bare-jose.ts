/**
 * The comparison variant for `npm run bench`: a jose authorizer built the obvious way, as a
 * tutorial would write it. createRemoteJWKSet at module scope (fetched lazily on the first
 * request), jwtVerify on every call, and a policy for exactly the requested method ARN.
 * Bundled by bench/run.ts at bench time into a temporary directory; never shipped.
 */
import { readFileSync } from 'node:fs';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
// jose is a devDependency; this file only ever runs inside the benchmark.
// eslint-disable-next-line import/no-extraneous-dependencies
import { createRemoteJWKSet, jwtVerify } from 'jose';

interface Route { method: string; path: string; scopes: string[] }
const config = JSON.parse(readFileSync(new URL('./config.json', import.meta.url), 'utf8')) as {
  issuer: string; audience: string; jwksUri: string; algorithms: string[]; routes: Route[];
};
const jwks = createRemoteJWKSet(new URL(config.jwksUri));

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const header = event.headers?.Authorization ?? event.headers?.authorization ?? '';
  const [scheme, token] = header.split(' ');
  if (scheme?.toLowerCase() !== 'bearer' || !token) throw new Error('Unauthorized');
  let payload;
  try {
    ({ payload } = await jwtVerify(token, jwks, { issuer: config.issuer, audience: config.audience, algorithms: config.algorithms }));
  } catch {
    throw new Error('Unauthorized');
  }
  const granted = new Set([
    ...(typeof payload.scope === 'string' ? payload.scope.split(' ') : []),
    ...(Array.isArray(payload.permissions) ? payload.permissions as string[] : []),
  ]);
  const route = config.routes.find((r) => r.path === event.resource && (r.method === event.httpMethod || r.method === 'ANY'));
  const allowed = route !== undefined && route.scopes.every((s) => granted.has(s));
  return {
    principalId: String(payload.sub),
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: allowed ? 'Allow' : 'Deny', Resource: event.methodArn }],
    },
    context: { sub: String(payload.sub), scope: [...granted].join(' ') },
  };
}

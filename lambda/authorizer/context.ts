import type { APIGatewayAuthorizerResultContext } from 'aws-lambda';
import type { VerifiedClaims } from './verify';

/**
 * The context passed to backends. API Gateway accepts only flat values (string, number, boolean)
 * and answers 500 to anything else, so each mapped claim is flattened: objects, lists and null
 * become their JSON text. `sub` and `scope` are written last so no mapped claim can replace them.
 */
export function contextFor(
  claims: VerifiedClaims,
  grants: ReadonlySet<string>,
  contextClaims: Record<string, string>,
): APIGatewayAuthorizerResultContext {
  const context: APIGatewayAuthorizerResultContext = {};
  for (const [key, claim] of Object.entries(contextClaims)) {
    // Own properties only: a claim named `constructor` or `__proto__` must not reach Object.prototype.
    if (!Object.hasOwn(claims, claim)) continue;
    const value = flatten(claims[claim]);
    if (value !== undefined) context[key] = value;
  }
  context.sub = claims.sub;
  context.scope = [...grants].join(' ');
  return context;
}

function flatten(value: unknown): string | number | boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return JSON.stringify(value);
}

import type { APIGatewayAuthorizerResultContext } from 'aws-lambda';
import { logEvent } from './log';
import type { VerifiedClaims } from './verify';

/**
 * The longest context value passed, in UTF-8 bytes. API Gateway documents no limit on a REST API
 * authorizer's context, only 8 KB for the whole result of a WebSocket API's authorizer
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html),
 * and backends often forward `$context.authorizer.<key>` as a request header, where API Gateway
 * allows 10,240 bytes for the request line and all header values together (stated for HTTP APIs at
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html; REST API
 * quotas: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html).
 * Half of the 8 KB leaves room for the policy, `sub`, `scope` and the other claims.
 */
export const MAX_CONTEXT_VALUE_BYTES = 4_096;

/** The deepest nesting of a mapped object or list that is flattened: real claims (roles, app metadata) are a few levels deep. */
export const MAX_CLAIM_DEPTH = 32;

/** Why a mapped claim cannot be passed: the one word its WARN line gives. */
type Unmappable = 'nested_too_deep' | 'too_long';

/**
 * The context passed to backends. API Gateway accepts only flat values (string, number, boolean)
 * and answers 500 to anything else, so each mapped claim is flattened: objects, lists and null
 * become their JSON text. `org_id` and `org_name` (string claims, when present), `sub` and `scope`
 * are written last, so no mapped claim can replace them.
 *
 * A mapped claim that cannot be flattened within {@link MAX_CLAIM_DEPTH} and
 * {@link MAX_CONTEXT_VALUE_BYTES} is left out, with one WARN line: its shape may be the user's
 * choice (issuers copy user-editable metadata into claims), so it must not turn a valid token into
 * an internal error, and a value cut short could be read as another valid value.
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
    const flat = flatten(claims[claim]);
    if (flat === undefined) continue;
    if ('problem' in flat) {
      // The claim's name and key come from the configuration; its value never reaches the log.
      logEvent({ event: 'claim left out of context', reason: 'unmappable_claim', claim, contextKey: key, problem: flat.problem, sub: claims.sub });
    } else {
      context[key] = flat.value;
    }
  }
  // Auth0 Organizations: the backend learns on whose behalf the user acts (checked by organization.ts).
  for (const claim of ['org_id', 'org_name'] as const) {
    if (typeof claims[claim] === 'string') context[claim] = claims[claim];
  }
  context.sub = claims.sub;
  context.scope = [...grants].join(' ');
  return context;
}

function flatten(value: unknown): { value: string | number | boolean } | { problem: Unmappable } | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return { value };
  if (typeof value === 'number' && Number.isFinite(value)) return { value };
  if (typeof value !== 'string') {
    const problem = shapeProblem(value);
    if (problem !== undefined) return { problem };
  }
  // Depth is bounded now, so JSON.stringify's recursion is too.
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Buffer.byteLength(text, 'utf8') > MAX_CONTEXT_VALUE_BYTES ? { problem: 'too_long' } : { value: text };
}

/**
 * Walks a parsed JSON value without recursion. Nesting past {@link MAX_CLAIM_DEPTH} is refused;
 * so is a value with more elements than {@link MAX_CONTEXT_VALUE_BYTES}, whose JSON text could not
 * fit (each element takes at least one byte), which bounds the walk whatever the token's size.
 */
function shapeProblem(root: unknown): Unmappable | undefined {
  const pending: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  let visited = 0;
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (++visited > MAX_CONTEXT_VALUE_BYTES) return 'too_long';
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= MAX_CLAIM_DEPTH) return 'nested_too_deep';
    for (const child of Object.values(node)) pending.push({ node: child, depth: depth + 1 });
  }
  return undefined;
}

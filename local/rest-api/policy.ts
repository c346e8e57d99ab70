/**
 * API Gateway's rules around a REST API's Lambda authorizer, as the local gateway and the tests
 * apply them: the method ARN it sends, the policy evaluation (not a friendlier approximation: `*`
 * in a resource matches any characters including `/`, an explicit Deny wins, and no matching Allow
 * means deny; https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html)
 * and which results it cannot use (it answers 500).
 */
import type { APIGatewayAuthorizerResult, PolicyDocument } from 'aws-lambda';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path without leading /}`. */
export function methodArn(method: string, path: string, stage: string, apiId: string): string {
  return `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/${stage}/${method}/${path.replace(/^\//, '')}`;
}

/** How a policy could be read; API Gateway's documented reading is the default. */
export interface PolicyReading {
  /** Compare characters ignoring case (a reading no policy of ours may depend on). Default false. */
  readonly ignoreCase?: boolean;
}

/**
 * Whether an IAM-style resource pattern matches: `*` is any run of characters (`/` included), `?`
 * exactly one (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 */
export function resourceMatches(pattern: string, resource: string, reading: PolicyReading = {}): boolean {
  const regex = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`, reading.ignoreCase ? 'si' : 's').test(resource);
}

function actionMatches(action: string): boolean {
  return ['execute-api:invoke', 'execute-api:*', '*'].includes(action.toLowerCase());
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new Error(`not a string or list of strings: ${JSON.stringify(value)}`);
}

/** API Gateway's decision for `methodArn` under `policy`. */
export function evaluatePolicy(policy: PolicyDocument, arn: string, reading: PolicyReading = {}): 'allow' | 'deny' {
  let allowed = false;
  for (const statement of policy.Statement) {
    const s = statement as unknown as Record<string, unknown>;
    if (!asList(s.Action).some(actionMatches)) continue;
    if (!asList(s.Resource).some((pattern) => resourceMatches(pattern, arn, reading))) continue;
    if (s.Effect === 'Deny') return 'deny';
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'deny';
}

/** Why API Gateway could not use a result (it answers 500), or `undefined` when it can. */
export function resultProblem(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return 'result is not an object';
  const r = result as Partial<APIGatewayAuthorizerResult> & Record<string, unknown>;
  if (typeof r.principalId !== 'string' || r.principalId.length === 0) return 'principalId is missing';
  const policy = r.policyDocument as unknown as Record<string, unknown> | undefined;
  if (typeof policy !== 'object' || policy === null) return 'policyDocument is missing';
  if (policy.Version !== '2012-10-17') return 'policyDocument.Version is not 2012-10-17';
  if (!Array.isArray(policy.Statement) || policy.Statement.length === 0) return 'policyDocument.Statement is empty';
  for (const statement of policy.Statement as Record<string, unknown>[]) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') return 'a statement has no Effect';
    try {
      asList(statement.Action);
      asList(statement.Resource);
    } catch (e) {
      return `a statement is malformed: ${(e as Error).message}`;
    }
  }
  if (r.context !== undefined && r.context !== null) {
    if (typeof r.context !== 'object' || Array.isArray(r.context)) return 'context is not an object';
    for (const [key, value] of Object.entries(r.context)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) return `context.${key} is not a string, number or boolean`;
    }
  }
  return undefined;
}


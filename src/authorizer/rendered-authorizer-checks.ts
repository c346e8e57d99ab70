import { CfnResource } from 'aws-cdk-lib';
import { describeRendered, referencesIn } from './rendered-references';
import { renderedResource } from './rendered-resources';

/** What one of the library's authorizer resources must still be when it deploys. */
export interface AuthorizerExpectations {
  /** The `AWS::ApiGateway::Authorizer` or `AWS::ApiGatewayV2::Authorizer`. */
  readonly authorizer: CfnResource;
  /** The library's authorizer function (`AWS::Lambda::Function`) its `AuthorizerUri` must call. */
  readonly fn: CfnResource;
  /** Properties whose rendered value must be exactly this, each with the prop that sets it (or why). */
  readonly exact: ReadonlyArray<{ readonly property: string; readonly value: unknown; readonly fix: string }>;
  /** Entries the rendered `IdentitySource` (a comma-separated string or a list) must contain, and why. */
  readonly identitySources: readonly string[];
  readonly identityReason: string;
}

/**
 * One message per way the authorizer, as rendered, differs from what the library relies on: its
 * type and response format (the function answers in exactly one), the function it calls (the
 * route table and the guarantees are that function's), the cache TTL (set by
 * `authorizerCacheTtl`, whose bound and trade-off would be bypassed), and the identity sources
 * that make a cached decision route-correct (a cached decision is keyed by them alone).
 */
export function authorizerProblems(expected: AuthorizerExpectations): string[] {
  const rendered = renderedResource(expected.authorizer);
  if (rendered === undefined) return [];
  const name = `The authorizer (${expected.authorizer.node.path})`;
  const edit = 'Remove the escape-hatch edit (addPropertyOverride, addOverride or an L1 property)';
  const p = rendered.properties;
  const problems: string[] = [];
  for (const { property, value, fix } of expected.exact) {
    if (JSON.stringify(p[property]) !== JSON.stringify(value)) {
      problems.push(`${name} deploys with ${property} ${describeValue(p[property])}, expected ${describeValue(value)}. ${edit}; ${fix}.`);
    }
  }
  if (!referencesIn(p.AuthorizerUri).some((r) => r.target === expected.fn)) {
    problems.push(`${name}: its AuthorizerUri does not call this construct's authorizer function (${expected.fn.node.path}), `
      + `so neither its route table nor its checks apply. ${edit}; to use another authorizer, add the route to the API without this construct.`);
  }
  const sources = identitySourcesOf(p.IdentitySource);
  const missing = expected.identitySources.filter((s) => !sources.includes(s));
  if (missing.length > 0) {
    problems.push(`${name} deploys with IdentitySource "${sources.join(',')}", which lacks ${missing.join(', ')}: ${expected.identityReason} `
      + `${edit}; the construct sets the identity sources.`);
  }
  return problems;
}

/**
 * Properties of the API resource that would deploy methods or routes no check can see: an
 * OpenAPI definition (`Body`, `BodyS3Location`), a clone of another API (`CloneFrom`), or an HTTP
 * API's quick create (`Target`, `RouteKey`), whose route API Gateway creates itself.
 */
export function apiDefinitionProblems(api: CfnResource, prop: string, properties: readonly string[]): string[] {
  const rendered = renderedResource(api);
  if (rendered === undefined) return [];
  return properties.filter((property) => rendered.properties[property] !== undefined).map((property) =>
    `${prop} (${api.node.path}) deploys with ${property}, which creates methods or routes that no check can see and this construct's `
    + 'authorizer does not protect. Remove the escape-hatch edit (addPropertyOverride or addOverride); add routes with addRoute.');
}

/** `"TOKEN"`, `3600`, `false`: JSON for literals, references by what they refer to. */
function describeValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(describeRendered(value)) : describeRendered(value);
}

/** REST writes identity sources as one comma-separated string, HTTP APIs as a list. */
function identitySourcesOf(value: unknown): string[] {
  const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return entries.filter((e): e is string => typeof e === 'string').map((e) => e.trim()).filter((e) => e !== '');
}

import { Stack } from 'aws-cdk-lib';
import { CfnApi, CfnRoute, CfnStage, HttpApi, HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { IConstruct } from 'constructs';
import { ApiReference, resourcesOfApi } from '../authorizer/api-references';

/** What a route this construct added must still be at synthesis. */
interface OwnRoute {
  readonly kind: 'public' | 'preflight' | 'protected';
  readonly routeKey: string;
}

/**
 * Fail closed on the HTTP API: every `AWS::ApiGatewayV2::Route` and `AWS::ApiGatewayV2::Stage`
 * of the construct's API, wherever in the app it was added (`httpApi.addRoutes`, a
 * `defaultIntegration`, `new HttpRoute(...)` in any stack, an imported copy, an L1 resource), is
 * checked at synthesis. A route is accepted when it is one this construct added and still is what
 * it was added as (escape-hatch edits are caught), or when it uses this construct's authorizer
 * with a route key the authorizer's configuration knows (any other key is denied at runtime, so it
 * is a mistake to be named now, not a 403 to be found later).
 */
export class HttpApiChecks {
  private readonly own = new Map<IConstruct, OwnRoute>();
  private authorizerId?: string;
  private preflightTarget?: string;

  constructor(private readonly api: HttpApi) {}

  /** Records a route `addRoute` created (or its CORS preflight route). */
  public addOwn(route: HttpRoute, kind: OwnRoute['kind'], routeKey: string): void {
    const cfn = route.node.defaultChild as CfnRoute;
    this.own.set(cfn, { kind, routeKey });
    if (kind === 'protected') this.authorizerId ??= cfn.authorizerId;
    if (kind === 'preflight') this.preflightTarget ??= cfn.target;
  }

  /** One message per route or stage of the API that is not as this construct requires. */
  public problems(configuredKeys: ReadonlySet<string>): string[] {
    return [...this.routeProblems(configuredKeys), ...this.stageProblems()];
  }

  private get reference(): ApiReference {
    return { apiId: this.api.apiId, apiResource: this.api.node.defaultChild as CfnApi, idAttribute: 'ApiId' };
  }

  private routeProblems(configuredKeys: ReadonlySet<string>): string[] {
    const problems: string[] = [];
    for (const cfn of resourcesOfApi<CfnRoute>(this.reference, CfnRoute.CFN_RESOURCE_TYPE_NAME, (r) => r.apiId)) {
      const stack = Stack.of(cfn);
      const routeKey = String(stack.resolve(cfn.routeKey));
      const authorization = String(stack.resolve(cfn.authorizationType) ?? 'NONE');
      const name = `httpApi: route "${routeKey}" (${cfn.node.path})`;
      const overridden = overriddenProperties(cfn);
      if (overridden.length > 0) {
        problems.push(`${name} overrides ${overridden.join(', ')} (addPropertyOverride or addOverride), so the route deployed is not the one `
          + 'this check reads. Remove the override; add routes with addRoute(route, integration), listing public ones in publicRoutes.');
        continue;
      }
      const own = this.own.get(cfn);
      if (own && own.kind !== 'protected') {
        const targetKept = own.kind === 'public' || this.sameValue(cfn.target, this.preflightTarget, cfn);
        if (routeKey !== own.routeKey || authorization !== 'NONE' || !targetKept) {
          problems.push(`${name} was added by addRoute as ${own.kind === 'public' ? 'the public route' : 'the CORS preflight route'} "${own.routeKey}" `
            + `(authorization NONE${own.kind === 'preflight' ? ', the preflight integration' : ''}) and was changed afterwards `
            + `(authorization ${authorization}${targetKept ? '' : ', another integration'}). Remove the escape-hatch edit; `
            + 'add other routes with addRoute, listing public ones in publicRoutes.');
        }
        continue;
      }
      const usesOurAuthorizer = authorization === 'CUSTOM' && this.sameValue(cfn.authorizerId, this.authorizerId, cfn);
      if (!usesOurAuthorizer) {
        problems.push(`${name} does not use this construct's authorizer (authorization ${authorization}). `
          + 'Add routes with addRoute(route, integration), listing public ones in publicRoutes, rather than on httpApi directly.');
      } else if (!configuredKeys.has(routeKey) || (own !== undefined && own.routeKey !== routeKey)) {
        problems.push(`${name} uses this construct's authorizer, whose configuration does not know it, so every request to it would be denied`
          + `${own ? ` (added by addRoute as "${own.routeKey}" and changed afterwards)` : ''}. `
          + 'Add it with addRoute(route, integration) instead, and remove any escape-hatch edit of the route key.');
      }
    }
    return problems;
  }

  /**
   * The construct sets access logs and throttling on the default stage only; another stage of the
   * API (`httpApi.addStage`, an L1 `CfnStage`) without both would serve the same routes unlogged
   * and unthrottled, so synthesis fails unless its owner configured both.
   */
  private stageProblems(): string[] {
    const defaultStage = this.api.defaultStage?.node.defaultChild;
    return resourcesOfApi<CfnStage>(this.reference, CfnStage.CFN_RESOURCE_TYPE_NAME, (s) => s.apiId)
      .filter((stage) => stage !== defaultStage)
      .filter((stage) => {
        const resolved = Stack.of(stage).resolve({ logs: stage.accessLogSettings, route: stage.defaultRouteSettings }) as {
          logs?: { destinationArn?: unknown }; route?: { throttlingRateLimit?: unknown; throttlingBurstLimit?: unknown };
        };
        return resolved.logs?.destinationArn === undefined
          || typeof resolved.route?.throttlingRateLimit !== 'number' || typeof resolved.route?.throttlingBurstLimit !== 'number';
      })
      .map((stage) => `httpApi: stage "${Stack.of(stage).resolve(stage.stageName)}" (${stage.node.path}) has no access logs or throttling: this construct `
        + 'configures the default stage only. Serve the API from its default stage, or give this stage both, for example '
        + 'httpApi.addStage(id, { stageName, throttle: { rateLimit, burstLimit } }) and (stage.node.defaultChild as CfnStage).accessLogSettings = { destinationArn, format }.');
  }

  /** The same unresolved token, or, in the API's own stack, the same resolved value. */
  private sameValue(value: unknown, expected: unknown, consumer: IConstruct): boolean {
    if (value === undefined || expected === undefined) return false;
    if (value === expected) return true;
    const stack = Stack.of(this.api);
    if (Stack.of(consumer) !== stack) return false;
    try {
      return JSON.stringify(stack.resolve(value)) === JSON.stringify(stack.resolve(expected));
    } catch {
      return false;
    }
  }
}

/** The checked properties of a route whose rendered value (after raw overrides) differs from its L1 property. */
function overriddenProperties(cfn: CfnRoute): string[] {
  const stack = Stack.of(cfn);
  const declared: Record<string, unknown> = stack.resolve({
    RouteKey: cfn.routeKey, AuthorizationType: cfn.authorizationType, AuthorizerId: cfn.authorizerId, Target: cfn.target,
  });
  // `_toCloudFormation` is how CDK itself renders a resource, overrides applied; it is marked
  // internal, so a CDK version without it makes every route of the API fail rather than pass unchecked.
  const render = (cfn as unknown as { _toCloudFormation?: () => object })._toCloudFormation;
  if (typeof render !== 'function') return Object.keys(declared);
  const template = stack.resolve(render.call(cfn)) as { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
  const rendered = Object.values(template.Resources ?? {})[0]?.Properties ?? {};
  return Object.keys(declared).filter((key) => JSON.stringify(rendered[key]) !== JSON.stringify(declared[key]));
}

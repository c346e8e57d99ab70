import { CfnResource } from 'aws-cdk-lib';
import { CfnRoute, CfnStage, HttpApi, HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { httpApiReference, renderedRoutesOf, targetIntegration } from './rendered-routes';
import { renderedResourcesOfApi } from '../authorizer/api-references';
import { describeRendered, referencedResource, referencesIn } from '../authorizer/rendered-references';
import { renderedResource } from '../authorizer/rendered-resources';
import { overridesNote, RenderedRoute } from '../authorizer/rendered-routes';

/** What a route this construct added must still be when it deploys. */
interface OwnRoute {
  readonly kind: 'public' | 'preflight' | 'protected';
  readonly routeKey: string;
}

const ROUTE_PROPERTIES = ['RouteKey', 'AuthorizationType', 'AuthorizerId', 'Target'];

/**
 * Fail closed on the HTTP API: every `AWS::ApiGatewayV2::Route` and `AWS::ApiGatewayV2::Stage`
 * of the construct's API, wherever in the app it was added (`httpApi.addRoutes`, a
 * `defaultIntegration`, `new HttpRoute(...)` in any stack, an imported copy, an L1 or generic
 * `CfnResource`), is checked at synthesis as CloudFormation will deploy it (see
 * rendered-resources.ts). A route is accepted when it is one this construct added and still
 * deploys as what it was added as, or when it uses this construct's authorizer with a route key the
 * authorizer's configuration knows (any other key is denied at runtime, so it is a mistake to be
 * named now, not a 403 to be found later).
 */
export class HttpApiChecks {
  private readonly own = new Map<CfnResource, OwnRoute>();
  private authorizerResource?: CfnResource;
  private preflightIntegration?: CfnResource;
  private preflightFunction?: CfnResource;

  constructor(private readonly api: HttpApi) {}

  /** Records a route `addRoute` created (or its CORS preflight route). */
  public addOwn(route: HttpRoute, kind: OwnRoute['kind'], routeKey: string): void {
    const cfn = route.node.defaultChild as CfnRoute;
    this.own.set(cfn, { kind, routeKey });
    if (kind === 'protected') this.authorizerResource ??= referencedResource(cfn.authorizerId);
    if (kind === 'preflight') this.preflightIntegration ??= referencesIn(cfn.target)[0]?.target as CfnResource | undefined;
  }

  /** Records the function the preflight routes' integration must call. */
  public setPreflightFunction(fn: CfnResource): void {
    this.preflightFunction = fn;
  }

  /** This construct's `AWS::ApiGatewayV2::Authorizer`, once a protected route created it. */
  public get authorizer(): CfnResource | undefined {
    return this.authorizerResource;
  }

  /** One message per route or stage of the API that is not as this construct requires. */
  public problems(configuredKeys: ReadonlySet<string>): string[] {
    const routes = renderedRoutesOf(this.api, this.authorizerResource);
    return [
      ...routes.map((r) => this.routeProblem(r, configuredKeys)).filter((p): p is string => p !== undefined),
      ...this.stageProblems(),
    ];
  }

  private routeProblem(route: RenderedRoute, configuredKeys: ReadonlySet<string>): string | undefined {
    const own = this.own.get(route.resource);
    const name = `httpApi: route "${own?.routeKey ?? route.route}" (${route.resource.node.path})`;
    const overrides = overridesNote(route, ROUTE_PROPERTIES);
    if (own && own.kind !== 'protected') {
      const integrationProblem = own.kind === 'preflight' ? this.preflightIntegrationProblem(route) : undefined;
      if (route.route === own.routeKey && route.authorizationType === 'NONE' && integrationProblem === undefined) return undefined;
      return `${name} was added by addRoute as ${own.kind === 'public' ? 'the public route' : 'the CORS preflight route'} "${own.routeKey}" `
        + `(authorization NONE${own.kind === 'preflight' ? ', the preflight responder\'s integration' : ''}) and deploys as "${route.route}" `
        + `with authorization ${route.authorizationType}${integrationProblem ? `, ${integrationProblem}` : ''}${overrides}. Remove the escape-hatch edit; `
        + 'add other routes with addRoute, listing public ones in publicRoutes.';
    }
    if (!route.usesAuthorizer) {
      return `${name} does not use this construct's authorizer (authorization ${route.authorizationType}${route.authorizationType === 'CUSTOM' ? ', another authorizer' : ''})`
        + `${own ? `, although addRoute added it as the protected route "${own.routeKey}"` : ''}${overrides}. `
        + 'Add routes with addRoute(route, integration), listing public ones in publicRoutes, rather than on httpApi directly, and remove any escape-hatch edit.';
    }
    if (!configuredKeys.has(route.route) || (own !== undefined && own.routeKey !== route.route)) {
      return `${name} uses this construct's authorizer, whose configuration does not know it, so every request to it would be denied`
        + `${own ? ` (added by addRoute as "${own.routeKey}", deploys as "${route.route}")` : ''}${overrides}. `
        + 'Add it with addRoute(route, integration) instead, and remove any escape-hatch edit of the route key.';
    }
    return undefined;
  }

  /**
   * The preflight routes answer from a function that returns 204 and nothing else; their target,
   * and that integration as deployed, must still call it, or an unauthenticated OPTIONS request
   * would reach whatever they now name.
   */
  private preflightIntegrationProblem(route: RenderedRoute): string | undefined {
    const integration = targetIntegration(renderedResource(route.resource)?.properties.Target);
    if (integration === undefined || integration.resource !== this.preflightIntegration) return 'another integration';
    const p = integration.properties;
    const callsResponder = p.IntegrationType === 'AWS_PROXY' && this.preflightFunction !== undefined
      && referencesIn(p.IntegrationUri).some((r) => r.target === this.preflightFunction);
    return callsResponder ? undefined
      : `an integration that no longer calls the preflight responder (IntegrationType ${describeRendered(p.IntegrationType)}, IntegrationUri ${describeRendered(p.IntegrationUri)}${overridesNote(integration, ['IntegrationType', 'IntegrationUri'])})`;
  }

  /**
   * The construct sets access logs and throttling on the default stage only; another stage of the
   * API (`httpApi.addStage`, an L1 `CfnStage`) without both would serve the same routes unlogged
   * and unthrottled, so synthesis fails unless its owner configured both.
   */
  private stageProblems(): string[] {
    const defaultStage = this.api.defaultStage?.node.defaultChild;
    return renderedResourcesOfApi(httpApiReference(this.api), CfnStage.CFN_RESOURCE_TYPE_NAME, 'ApiId')
      .filter((stage) => stage.resource !== defaultStage)
      .filter((stage) => {
        const logs = stage.properties.AccessLogSettings as { DestinationArn?: unknown } | undefined;
        const route = stage.properties.DefaultRouteSettings as { ThrottlingRateLimit?: unknown; ThrottlingBurstLimit?: unknown } | undefined;
        return logs?.DestinationArn === undefined
          || typeof route?.ThrottlingRateLimit !== 'number' || typeof route?.ThrottlingBurstLimit !== 'number';
      })
      .map((stage) => `httpApi: stage "${describeRendered(stage.properties.StageName)}" (${stage.resource.node.path}) has no access logs or throttling: this construct `
        + 'configures the default stage only. Serve the API from its default stage, or give this stage both, for example '
        + 'httpApi.addStage(id, { stageName, throttle: { rateLimit, burstLimit } }) and (stage.node.defaultChild as CfnStage).accessLogSettings = { destinationArn, format }.');
  }
}

import { CfnResource } from 'aws-cdk-lib';

/**
 * One method of a REST API (`AWS::ApiGateway::Method`) or route of an HTTP API
 * (`AWS::ApiGatewayV2::Route`) as CloudFormation will deploy it (see rendered-resources.ts).
 * Listed by `renderedMethodsOf` (src/rest-api/rendered-methods.ts) and `renderedRoutesOf`
 * (src/http-api/rendered-routes.ts); a route table built from these is built from what deploys.
 */
export interface RenderedRoute {
  /** The resource: an L1 of the type (often an L2's default child) or a generic `CfnResource`. */
  readonly resource: CfnResource;
  /** Its rendered `Type` (an override of `Type` counts). */
  readonly type: string;
  /**
   * How this library writes the route: `'GET /items/{id}'` (REST: the rendered `HttpMethod` and
   * the path of its rendered resource chain; `'GET (path not known)'` where a link of the chain is
   * not a reference CDK can follow), or the rendered `RouteKey` (HTTP, `$default` included).
   */
  readonly route: string;
  /** The REST method's path, when known (`/` for the root); undefined on HTTP APIs. */
  readonly path?: string;
  /** The rendered `AuthorizationType`; `NONE` when absent, as API Gateway reads it. */
  readonly authorizationType: string;
  /** The rendered `AuthorizerId` (a CDK reference token when it refers to a resource of the app). */
  readonly authorizerId: unknown;
  /** Whether `AuthorizationType` is `CUSTOM` and `AuthorizerId` refers to the authorizer asked about. */
  readonly usesAuthorizer: boolean;
  /**
   * What a request reaches: the REST method's rendered `Integration.Type` (`MOCK`, `AWS_PROXY`,
   * `HTTP_PROXY`, ...), or the rendered `IntegrationType` of the HTTP route's target
   * integration; `NONE` without one, `UNKNOWN` where the target is not a resource of the app.
   */
  readonly integrationKind: string;
  /** Top-level properties set by `addPropertyOverride`/`addOverride`, for messages. */
  readonly overridden: readonly string[];
}

/** `" (overrides X, Y with addPropertyOverride or addOverride)"`, or nothing. */
export function overridesNote(route: { readonly overridden: readonly string[] }, properties: readonly string[]): string {
  const named = route.overridden.filter((p) => properties.includes(p));
  return named.length === 0 ? '' : `; it overrides ${named.join(', ')} with addPropertyOverride or addOverride`;
}

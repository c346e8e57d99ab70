/**
 * What the local HTTP API needs from a synthesized CloudFormation template: the API's CORS
 * configuration, its routes, their authorizers and integrations. Reads the template only, never
 * the constructs.
 */

export interface HttpApiCors {
  readonly allowOrigins: string[];
  readonly allowMethods: string[];
  readonly allowHeaders: string[];
  readonly exposeHeaders: string[];
  readonly allowCredentials: boolean;
  readonly maxAge?: number;
}

export interface HttpApiAuthorizer {
  readonly logicalId: string;
  readonly identitySource: string[];
  readonly ttlSeconds: number;
  readonly simpleResponses: boolean;
  readonly payloadFormatVersion: string;
  /** Logical ID of the Lambda function the authorizer invokes. */
  readonly functionLogicalId?: string;
}

/** How a route's integration is run locally. */
export type HttpApiIntegration =
  | { readonly kind: 'lambda'; readonly payloadFormatVersion: string; readonly functionLogicalId: string; readonly inlineCode?: string }
  | { readonly kind: 'http'; readonly method: string; readonly url: string }
  | { readonly kind: 'unsupported'; readonly description: string };

export interface HttpApiRouteDefinition {
  readonly routeKey: string;
  readonly authorizer?: HttpApiAuthorizer;
  readonly integration?: HttpApiIntegration;
}

export interface HttpApiDefinition {
  readonly logicalId: string;
  readonly cors?: HttpApiCors;
  readonly routes: HttpApiRouteDefinition[];
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Every `AWS::ApiGatewayV2::Api` of protocol HTTP in the template. */
export function readHttpApis(template: { Resources?: Resources }): HttpApiDefinition[] {
  const resources = template.Resources ?? {};
  const refTo = (value: unknown): string | undefined => (value as { Ref?: string } | undefined)?.Ref;
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Api' && r.Properties?.ProtocolType === 'HTTP')
    .map(([apiId, api]) => {
      const routes = Object.values(resources)
        .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route' && refTo(r.Properties?.ApiId) === apiId)
        .map((r): HttpApiRouteDefinition => {
          const p = r.Properties!;
          const authorizerId = p.AuthorizationType === 'CUSTOM' ? refTo(p.AuthorizerId) : undefined;
          return {
            routeKey: String(p.RouteKey),
            authorizer: authorizerId ? readAuthorizer(authorizerId, resources) : undefined,
            integration: readIntegration(p.Target, resources),
          };
        });
      return { logicalId: apiId, cors: readCors(api.Properties?.CorsConfiguration), routes };
    });
}

function readAuthorizer(logicalId: string, resources: Resources): HttpApiAuthorizer {
  const p = resources[logicalId]?.Properties ?? {};
  return {
    logicalId,
    identitySource: (p.IdentitySource as string[] | undefined) ?? [],
    ttlSeconds: typeof p.AuthorizerResultTtlInSeconds === 'number' ? p.AuthorizerResultTtlInSeconds : 300,
    simpleResponses: p.EnableSimpleResponses === true,
    payloadFormatVersion: String(p.AuthorizerPayloadFormatVersion ?? '1.0'),
    functionLogicalId: functionIn(p.AuthorizerUri),
  };
}

/** `integrations/{Ref}` → the integration resource. */
function readIntegration(target: unknown, resources: Resources): HttpApiIntegration | undefined {
  const parts = (target as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join']?.[1];
  const ref = parts?.map((x) => (x as { Ref?: string }).Ref).find((x) => x !== undefined);
  const integration = ref ? resources[ref]?.Properties : undefined;
  if (!integration) return undefined;
  if (integration.IntegrationType === 'AWS_PROXY') {
    const functionLogicalId = functionIn(integration.IntegrationUri);
    if (!functionLogicalId) return { kind: 'unsupported', description: 'an AWS_PROXY integration that is not a Lambda function of this template' };
    const code = (resources[functionLogicalId]?.Properties?.Code as { ZipFile?: unknown } | undefined)?.ZipFile;
    return {
      kind: 'lambda',
      payloadFormatVersion: String(integration.PayloadFormatVersion ?? '2.0'),
      functionLogicalId,
      inlineCode: typeof code === 'string' ? code : undefined,
    };
  }
  if (integration.IntegrationType === 'HTTP_PROXY' && typeof integration.IntegrationUri === 'string') {
    return { kind: 'http', method: String(integration.IntegrationMethod ?? 'ANY'), url: integration.IntegrationUri };
  }
  return { kind: 'unsupported', description: `integration type ${String(integration.IntegrationType)}` };
}

/** The logical ID of the function in an integration or authorizer URI (`Fn::GetAtt [id, Arn]`, possibly inside a join). */
function functionIn(uri: unknown): string | undefined {
  const search = (value: unknown): string | undefined => {
    if (Array.isArray(value)) return value.map(search).find((x) => x !== undefined);
    if (typeof value !== 'object' || value === null) return undefined;
    const o = value as Record<string, unknown>;
    if (Array.isArray(o['Fn::GetAtt']) && o['Fn::GetAtt'][1] === 'Arn') return String(o['Fn::GetAtt'][0]);
    return Object.values(o).map(search).find((x) => x !== undefined);
  };
  return search(uri);
}

function readCors(value: unknown): HttpApiCors | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    allowOrigins: list(c.AllowOrigins),
    allowMethods: list(c.AllowMethods),
    allowHeaders: list(c.AllowHeaders),
    exposeHeaders: list(c.ExposeHeaders),
    allowCredentials: c.AllowCredentials === true,
    maxAge: typeof c.MaxAge === 'number' ? c.MaxAge : undefined,
  };
}

/**
 * What the local HTTP API needs from a synthesized CloudFormation template: the API's CORS
 * configuration, its routes, their authorizers and integrations, and the Lambda functions behind
 * them (read as for REST APIs, by `lambda/template-functions.ts`). Reads the template only, never
 * the constructs.
 */
import { functionIn, readTemplateFunctions, type TemplateFunction } from '../lambda/template-functions';

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
  | { readonly kind: 'lambda'; readonly payloadFormatVersion: string; readonly functionLogicalId: string; readonly timeoutMs?: number }
  | { readonly kind: 'http'; readonly method: string; readonly url: string; readonly timeoutMs?: number }
  | { readonly kind: 'unsupported'; readonly description: string };

export interface HttpApiRouteDefinition {
  readonly routeKey: string;
  /** The route's `AuthorizationType`: `NONE` when the template leaves it out. */
  readonly authorizationType: string;
  /** Its `CUSTOM` authorizer, when `AuthorizerId` is a `Ref` to one in the template. */
  readonly authorizer?: HttpApiAuthorizer;
  readonly integration?: HttpApiIntegration;
}

export interface HttpApiDefinition {
  readonly logicalId: string;
  /** Its construct path without `/Resource`, when the template says; else the logical id. */
  readonly name: string;
  readonly cors?: HttpApiCors;
  readonly routes: HttpApiRouteDefinition[];
  /** Every Lambda function of the template, by logical ID: authorizers and backends. */
  readonly functions: Map<string, TemplateFunction>;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;

/**
 * Every `AWS::ApiGatewayV2::Api` of protocol HTTP in the template; `assemblyDir` and `assetPaths`
 * locate the functions' code as for REST APIs.
 */
export function readHttpApis(template: { Resources?: Resources }, assemblyDir = '.', assetPaths = new Map<string, string>()): HttpApiDefinition[] {
  const resources = template.Resources ?? {};
  const functions = readTemplateFunctions(resources, assemblyDir, assetPaths);
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
            authorizationType: typeof p.AuthorizationType === 'string' ? p.AuthorizationType : 'NONE',
            authorizer: authorizerId ? readAuthorizer(authorizerId, resources) : undefined,
            integration: readIntegration(p.Target, resources),
          };
        });
      const path = (api as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'];
      const name = typeof path === 'string' ? path.replace(/\/Resource$/, '') : apiId;
      return { logicalId: apiId, name, cors: readCors(api.Properties?.CorsConfiguration), routes, functions };
    });
}

/**
 * Why the local HTTP API cannot authorize a route as API Gateway would, or undefined when it can
 * (no authorization, or a Lambda authorizer of the template). `AWS_IAM` (SigV4) and `JWT`
 * authorizers are not emulated; running such a route as public would fail open.
 */
export function authorizationNotEmulated(route: HttpApiRouteDefinition): string | undefined {
  if (route.authorizationType === 'NONE') return undefined;
  if (route.authorizationType === 'CUSTOM') {
    return route.authorizer ? undefined : 'its CUSTOM authorizer is not a reference to an authorizer of this template';
  }
  return `authorization type ${route.authorizationType} is not emulated (only this library's Lambda authorizer is)`;
}

function readAuthorizer(logicalId: string, resources: Resources): HttpApiAuthorizer {
  const p = resources[logicalId]?.Properties ?? {};
  return {
    logicalId,
    identitySource: (p.IdentitySource as string[] | undefined) ?? [],
    ttlSeconds: typeof p.AuthorizerResultTtlInSeconds === 'number' ? p.AuthorizerResultTtlInSeconds : 300,
    simpleResponses: p.EnableSimpleResponses === true,
    payloadFormatVersion: String(p.AuthorizerPayloadFormatVersion ?? '1.0'),
    functionLogicalId: oneFunctionIn(p.AuthorizerUri),
  };
}

/** `integrations/{Ref}` → the integration resource. */
function readIntegration(target: unknown, resources: Resources): HttpApiIntegration | undefined {
  const parts = (target as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join']?.[1];
  const ref = parts?.map((x) => (x as { Ref?: string }).Ref).find((x) => x !== undefined);
  const integration = ref ? resources[ref]?.Properties : undefined;
  if (!integration) return undefined;
  const timeoutMs = typeof integration.TimeoutInMillis === 'number' ? integration.TimeoutInMillis : undefined;
  if (integration.IntegrationType === 'AWS_PROXY') {
    const functionLogicalId = oneFunctionIn(integration.IntegrationUri);
    if (!functionLogicalId) return { kind: 'unsupported', description: 'an AWS_PROXY integration that is not a Lambda function of this template' };
    return { kind: 'lambda', payloadFormatVersion: String(integration.PayloadFormatVersion ?? '2.0'), functionLogicalId, timeoutMs };
  }
  if (integration.IntegrationType === 'HTTP_PROXY' && typeof integration.IntegrationUri === 'string') {
    return { kind: 'http', method: String(integration.IntegrationMethod ?? 'ANY'), url: integration.IntegrationUri, timeoutMs };
  }
  return { kind: 'unsupported', description: `integration type ${String(integration.IntegrationType)}` };
}

/** The logical ID of the one function of this template an integration or authorizer URI names, if it names one. */
function oneFunctionIn(uri: unknown): string | undefined {
  try {
    return functionIn(uri, 'uri');
  } catch {
    return undefined;
  }
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

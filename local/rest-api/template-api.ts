/**
 * Reads the REST APIs of a synthesized CloudFormation template: their methods (path, HTTP method,
 * authorization, integration), Lambda authorizers, the functions behind both (environment, code
 * asset or inline code) and gateway responses. Only what the local gateway needs, read strictly:
 * what it cannot follow is recorded as a problem the gateway answers 501 with, never a guess.
 */
import { functionIn, readTemplateFunctions, type TemplateFunction } from '../lambda/template-functions';

export type { TemplateFunction };

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface TemplateIntegration {
  /** `MOCK`, `AWS_PROXY`, `HTTP_PROXY`, ... */
  readonly type: string;
  /** Why the local gateway cannot run this integration, when it cannot. */
  readonly problem?: string;
  /** An `HTTP_PROXY` integration's endpoint, e.g. `https://example.com/{proxy}`. */
  readonly uri?: string;
  /** An `HTTP_PROXY` integration's method (`ANY`: the request's). */
  readonly integrationHttpMethod?: string;
  /** `integration.request.path.x` → `method.request.path.y` mappings, as `{x: 'y'}`. */
  readonly pathMappings?: Record<string, string>;
  /** Logical id of the Lambda function of an `AWS_PROXY` integration. */
  readonly functionId?: string;
  /** `TimeoutInMillis`: how long API Gateway waits before answering 504 (default 29 000). */
  readonly timeoutMs?: number;
  /** A `MOCK` integration's default response. */
  readonly mockResponse?: { statusCode: number; headers: Record<string, string>; body: string };
}

export interface TemplateMethod {
  readonly logicalId: string;
  readonly httpMethod: string;
  /** The resource path, e.g. `/colors/{name}`. */
  readonly resourcePath: string;
  /** `NONE`, `CUSTOM`, ... */
  readonly authorizationType: string;
  readonly authorizerId?: string;
  readonly integration: TemplateIntegration;
}

export interface TemplateAuthorizer {
  readonly logicalId: string;
  /** `REQUEST` or `TOKEN`. */
  readonly type: string;
  /** The identity sources, e.g. `['method.request.header.Authorization', 'context.httpMethod']`. */
  readonly identitySource: string[];
  readonly resultTtlSeconds: number;
  /** The Lambda function in this template; empty when there is none (see `problem`). */
  readonly functionId: string;
  /** Why the local gateway cannot run this authorizer, when it cannot. */
  readonly problem?: string;
}

export interface TemplateGatewayResponse {
  readonly statusCode?: number;
  readonly headers: Record<string, string>;
  readonly templates: Record<string, string>;
}

export interface TemplateApi {
  /** The `AWS::ApiGateway::RestApi` logical id. */
  readonly logicalId: string;
  /** Its construct path without the stack, when the template says; else the logical id. */
  readonly name: string;
  readonly stageName: string;
  readonly methods: TemplateMethod[];
  readonly authorizers: Map<string, TemplateAuthorizer>;
  readonly functions: Map<string, TemplateFunction>;
  /** By response type: `UNAUTHORIZED`, `ACCESS_DENIED`, `DEFAULT_4XX`, ... */
  readonly gatewayResponses: Map<string, TemplateGatewayResponse>;
}

/** Reads the one REST API of `template`; `assemblyDir` resolves the functions' asset paths. */
export function readTemplateApi(template: Json, assemblyDir: string, assetPaths = new Map<string, string>()): TemplateApi {
  const apis = readTemplateApis(template, assemblyDir, assetPaths);
  if (apis.length !== 1) throw new Error(`expected one AWS::ApiGateway::RestApi, found ${apis.length}`);
  return apis[0];
}

/**
 * Every REST API of `template`. A function's code folder comes from its `aws:asset:path` metadata,
 * or else from `assetPaths` (S3 object key → staged folder, from the asset manifest).
 */
export function readTemplateApis(template: Json, assemblyDir: string, assetPaths = new Map<string, string>()): TemplateApi[] {
  const resources: Record<string, Json> = template.Resources ?? {};
  return Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::RestApi').map(([id]) => readRestApi(resources, id, assemblyDir, assetPaths));
}

function readRestApi(resources: Record<string, Json>, apiId: string, assemblyDir: string, assetPaths: Map<string, string>): TemplateApi {
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const belongs = (r: Json) => r.Properties?.RestApiId?.Ref === apiId;

  const isRoot = (ref: Json) => Array.isArray(ref?.['Fn::GetAtt']) && ref['Fn::GetAtt'][0] === apiId && ref['Fn::GetAtt'][1] === 'RootResourceId';
  const pathOf = (ref: Json, depth = 0): string => {
    if (isRoot(ref)) return '/';
    const id = ref?.Ref;
    const resource = resources[id];
    if (resource?.Type !== 'AWS::ApiGateway::Resource' || depth > 64) throw new Error(`cannot follow resource reference ${JSON.stringify(ref)}`);
    const parent = pathOf(resource.Properties.ParentId, depth + 1);
    return `${parent === '/' ? '' : parent}/${resource.Properties.PathPart}`;
  };

  const functions = readTemplateFunctions(resources, assemblyDir, assetPaths);

  const authorizers = new Map<string, TemplateAuthorizer>();
  for (const [logicalId, a] of ofType('AWS::ApiGateway::Authorizer').filter(([, r]) => belongs(r))) {
    const p = a.Properties;
    authorizers.set(logicalId, {
      logicalId,
      type: p.Type,
      identitySource: String(p.IdentitySource ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      // API Gateway's default when the property is absent.
      resultTtlSeconds: p.AuthorizerResultTtlInSeconds ?? 300,
      ...authorizerFunction(p, logicalId),
    });
  }

  const methods: TemplateMethod[] = ofType('AWS::ApiGateway::Method').filter(([, r]) => belongs(r)).map(([logicalId, m]) => {
    const p = m.Properties;
    return {
      logicalId,
      httpMethod: p.HttpMethod,
      resourcePath: pathOf(p.ResourceId),
      authorizationType: p.AuthorizationType ?? 'NONE',
      authorizerId: p.AuthorizerId?.Ref,
      integration: readIntegration(p.Integration ?? {}, logicalId),
    };
  });

  const gatewayResponses = new Map<string, TemplateGatewayResponse>();
  for (const [, r] of ofType('AWS::ApiGateway::GatewayResponse').filter(([, x]) => belongs(x))) {
    const p = r.Properties;
    gatewayResponses.set(p.ResponseType, {
      statusCode: p.StatusCode === undefined ? undefined : Number(p.StatusCode),
      headers: headerParameters(p.ResponseParameters ?? {}, 'gatewayresponse.header.'),
      templates: p.ResponseTemplates ?? {},
    });
  }

  const stages = ofType('AWS::ApiGateway::Stage').filter(([, r]) => belongs(r));
  const stageName = stages.length >= 1 ? stages[0][1].Properties.StageName : 'prod';
  // The construct path when the app kept path metadata (`Stack/Api/Resource`), else the logical id.
  const path = resources[apiId].Metadata?.['aws:cdk:path'];
  const name = typeof path === 'string' ? path.replace(/\/Resource$/, '') : apiId;
  return { logicalId: apiId, name, stageName, methods, authorizers, functions, gatewayResponses };
}

function authorizerFunction(p: Json, logicalId: string): { functionId: string; problem?: string } {
  if (p.Type !== 'REQUEST' && p.Type !== 'TOKEN') return { functionId: '', problem: `authorizer ${logicalId} is of type ${p.Type}, which needs AWS to evaluate` };
  try {
    return { functionId: functionIn(p.AuthorizerUri, logicalId) };
  } catch {
    return { functionId: '', problem: `authorizer ${logicalId}'s Lambda function is not defined in this template (referenced by ARN)` };
  }
}

function readIntegration(integration: Json, owner: string): TemplateIntegration {
  const type: string = integration.Type ?? 'NONE';
  const timeoutMs = typeof integration.TimeoutInMillis === 'number' ? integration.TimeoutInMillis : undefined;
  if (type === 'AWS_PROXY') {
    try {
      return { type, functionId: functionIn(integration.Uri, owner), timeoutMs };
    } catch {
      return { type, problem: 'its Lambda function is not defined in this template (an imported function or an alias), so there is no code to run' };
    }
  }
  if (type === 'MOCK') {
    const responses: Json[] = integration.IntegrationResponses ?? [];
    const chosen = responses.find((r) => r.SelectionPattern === undefined || r.SelectionPattern === '');
    if (!chosen) return { type, problem: 'it has no default integration response (one without SelectionPattern)' };
    try {
      return {
        type,
        mockResponse: {
          statusCode: Number(chosen.StatusCode),
          headers: headerParameters(chosen.ResponseParameters ?? {}, 'method.response.header.'),
          body: chosen.ResponseTemplates?.['application/json'] ?? '',
        },
      };
    } catch (e) {
      return { type, problem: (e as Error).message };
    }
  }
  if (type === 'HTTP_PROXY') {
    if (typeof integration.Uri !== 'string') return { type, problem: 'its URI is not a literal string (it references a value known only at deployment)' };
    const pathMappings: Record<string, string> = {};
    for (const [name, value] of Object.entries(integration.RequestParameters ?? {})) {
      const target = /^integration\.request\.path\.(.+)$/.exec(name);
      const source = /^method\.request\.path\.(.+)$/.exec(String(value));
      if (target && source) pathMappings[target[1]] = source[1];
      else if (target) return { type, problem: `request parameter ${name} = ${String(value)} is not a path parameter mapping` };
    }
    if (integration.ConnectionType === 'VPC_LINK') return { type, problem: 'it goes through a VPC link, which does not exist on this machine' };
    return { type, uri: integration.Uri, integrationHttpMethod: integration.IntegrationHttpMethod ?? 'ANY', pathMappings, timeoutMs };
  }
  const why: Record<string, string> = {
    AWS: 'an AWS service integration calls an AWS API with the role of the deployed stage',
    HTTP: 'an HTTP (non-proxy) integration needs mapping templates, which are not evaluated locally',
    NONE: 'the method has no integration',
  };
  return { type, problem: why[type] ?? `integration type ${type} is not emulated` };
}

/** `{"method.response.header.X": "'v'"}` → `{X: "v"}`: static values only. */
function headerParameters(parameters: Record<string, unknown>, prefix: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (!name.startsWith(prefix)) continue;
    const text = String(value);
    if (!/^'.*'$/s.test(text)) throw new Error(`${name}: only static values ('...') are supported, found ${text}`);
    headers[name.slice(prefix.length)] = text.slice(1, -1);
  }
  return headers;
}

/**
 * Reads a REST API from a synthesized CloudFormation template: its methods (path, HTTP method,
 * authorization), its Lambda authorizers, the functions behind both (environment, code asset or
 * inline code) and its gateway responses. Only what the gateway simulator needs, read strictly:
 * anything it cannot follow is an error, not a guess.
 */
import { join } from 'path';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface TemplateIntegration {
  /** `MOCK`, `AWS_PROXY`, ... */
  readonly type: string;
  /** Logical id of the Lambda function of an `AWS_PROXY` integration. */
  readonly functionId?: string;
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
  readonly functionId: string;
}

export interface TemplateFunction {
  readonly logicalId: string;
  readonly handler: string;
  readonly runtime: string;
  /** Literal environment variables. */
  readonly environment: Record<string, string>;
  /** The code asset directory the function deploys, from the `aws:asset:path` metadata. */
  readonly assetDir?: string;
  /** Inline code (`Code.ZipFile`). */
  readonly inlineCode?: string;
}

export interface TemplateGatewayResponse {
  readonly statusCode?: number;
  readonly headers: Record<string, string>;
  readonly templates: Record<string, string>;
}

export interface TemplateApi {
  readonly stageName: string;
  readonly methods: TemplateMethod[];
  readonly authorizers: Map<string, TemplateAuthorizer>;
  readonly functions: Map<string, TemplateFunction>;
  /** By response type: `UNAUTHORIZED`, `ACCESS_DENIED`, `DEFAULT_4XX`, ... */
  readonly gatewayResponses: Map<string, TemplateGatewayResponse>;
}

/** Reads the one REST API of `template`; `assemblyDir` resolves the functions' asset paths. */
export function readTemplateApi(template: Json, assemblyDir: string): TemplateApi {
  const resources: Record<string, Json> = template.Resources ?? {};
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const apis = ofType('AWS::ApiGateway::RestApi');
  if (apis.length !== 1) throw new Error(`expected one AWS::ApiGateway::RestApi, found ${apis.length}`);
  const [apiId] = apis[0];

  const isRoot = (ref: Json) => Array.isArray(ref?.['Fn::GetAtt']) && ref['Fn::GetAtt'][0] === apiId && ref['Fn::GetAtt'][1] === 'RootResourceId';
  const pathOf = (ref: Json, depth = 0): string => {
    if (isRoot(ref)) return '/';
    const id = ref?.Ref;
    const resource = resources[id];
    if (resource?.Type !== 'AWS::ApiGateway::Resource' || depth > 64) throw new Error(`cannot follow resource reference ${JSON.stringify(ref)}`);
    const parent = pathOf(resource.Properties.ParentId, depth + 1);
    return `${parent === '/' ? '' : parent}/${resource.Properties.PathPart}`;
  };

  const functions = new Map<string, TemplateFunction>();
  for (const [logicalId, fn] of ofType('AWS::Lambda::Function')) {
    const p = fn.Properties;
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(p.Environment?.Variables ?? {})) {
      if (typeof value !== 'string') throw new Error(`function ${logicalId}: environment variable ${name} is not a literal string`);
      environment[name] = value;
    }
    const assetPath = fn.Metadata?.['aws:asset:path'];
    functions.set(logicalId, {
      logicalId,
      handler: p.Handler,
      runtime: p.Runtime,
      environment,
      assetDir: typeof assetPath === 'string' ? join(assemblyDir, assetPath) : undefined,
      inlineCode: typeof p.Code?.ZipFile === 'string' ? p.Code.ZipFile : undefined,
    });
  }

  const authorizers = new Map<string, TemplateAuthorizer>();
  for (const [logicalId, a] of ofType('AWS::ApiGateway::Authorizer')) {
    const p = a.Properties;
    authorizers.set(logicalId, {
      logicalId,
      type: p.Type,
      identitySource: String(p.IdentitySource ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      // API Gateway's default when the property is absent.
      resultTtlSeconds: p.AuthorizerResultTtlInSeconds ?? 300,
      functionId: functionIn(p.AuthorizerUri, logicalId),
    });
  }

  const methods: TemplateMethod[] = ofType('AWS::ApiGateway::Method').map(([logicalId, m]) => {
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
  for (const [, r] of ofType('AWS::ApiGateway::GatewayResponse')) {
    const p = r.Properties;
    gatewayResponses.set(p.ResponseType, {
      statusCode: p.StatusCode === undefined ? undefined : Number(p.StatusCode),
      headers: headerParameters(p.ResponseParameters ?? {}, 'gatewayresponse.header.'),
      templates: p.ResponseTemplates ?? {},
    });
  }

  const stages = ofType('AWS::ApiGateway::Stage');
  const stageName = stages.length === 1 ? stages[0][1].Properties.StageName : 'prod';
  return { stageName, methods, authorizers, functions, gatewayResponses };
}

/** The function a Lambda integration or authorizer URI points at (`Fn::GetAtt [id, Arn]` inside it). */
function functionIn(uri: Json, owner: string): string {
  const ids = new Set<string>();
  const walk = (node: Json): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node && typeof node === 'object') {
      const getAtt = node['Fn::GetAtt'];
      if (Array.isArray(getAtt) && getAtt[1] === 'Arn') ids.add(getAtt[0]);
      else Object.values(node).forEach(walk);
    }
  };
  walk(uri);
  if (ids.size !== 1) throw new Error(`${owner}: expected one Lambda function in its URI, found ${ids.size}`);
  return [...ids][0];
}

function readIntegration(integration: Json, owner: string): TemplateIntegration {
  const type: string = integration.Type ?? 'NONE';
  if (type === 'AWS_PROXY') return { type, functionId: functionIn(integration.Uri, owner) };
  if (type === 'MOCK') {
    const responses: Json[] = integration.IntegrationResponses ?? [];
    const chosen = responses.find((r) => r.SelectionPattern === undefined || r.SelectionPattern === '');
    if (!chosen) return { type };
    return {
      type,
      mockResponse: {
        statusCode: Number(chosen.StatusCode),
        headers: headerParameters(chosen.ResponseParameters ?? {}, 'method.response.header.'),
        body: chosen.ResponseTemplates?.['application/json'] ?? '',
      },
    };
  }
  return { type };
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

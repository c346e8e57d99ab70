/** REST APIs (`AWS::ApiGateway::RestApi`) protected by this library's authorizer, for the command. */
import { GatewaySimulator } from './gateway';
import { RestApiServer } from './rest-api-server';
import { readTemplateApis, type TemplateApi, type TemplateMethod } from './template-api';
import type { AuthorizerConfig } from '../../src/authorizer/authorizer-config';
import type { ApiKind, LocalApi, RouteListing, RunningApi, ServeContext, SynthesizedStack } from '../api-kind';
import { pointAuthorizerAt, protectedAuthorizerConfig } from '../authorizer-asset-copy';
import { functionProblem } from '../lambda/function-runner';
import { unresolvedEnvironmentWarnings } from '../lambda/template-functions';

class LocalRestApi implements LocalApi {
  public readonly kind = 'REST API';
  public readonly name: string;

  public constructor(
    public readonly stack: SynthesizedStack,
    private readonly api: TemplateApi,
    private readonly configs: Map<string, AuthorizerConfig>,
  ) {
    this.name = api.name.includes('/') ? api.name : `${stack.displayName}/${api.name}`;
  }

  public get authorizerConfigs(): AuthorizerConfig[] {
    return [...this.configs.values()];
  }

  public routes(): RouteListing[] {
    return this.api.methods
      // CORS preflight methods answer by themselves; the listing shows what a caller calls.
      .filter((m) => !(m.httpMethod === 'OPTIONS' && m.authorizationType === 'NONE' && m.integration.type === 'MOCK'))
      .map((m) => ({ method: m.httpMethod, path: m.resourcePath, access: this.access(m) }))
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }

  public warnings(): string[] {
    const used = this.api.methods.map((m) => m.integration.functionId).filter((id): id is string => id !== undefined);
    return unresolvedEnvironmentWarnings(this.api.functions, used);
  }

  public async serve(context: ServeContext): Promise<RunningApi> {
    const gateway = await GatewaySimulator.start(this.api, {
      functions: context.functions,
      authorizerDir: (fn) => pointAuthorizerAt(fn.assetDir!, context.issuer, context.workDir, `${this.stack.stackName}-${fn.logicalId}`),
    });
    try {
      const server = await RestApiServer.start(gateway, { port: context.port, log: context.log, onActivity: context.onActivity });
      return {
        baseUrl: server.baseUrl,
        stop: async () => {
          await server.stop();
          await gateway.stop();
        },
      };
    } catch (e) {
      await gateway.stop();
      throw e;
    }
  }

  private access(m: TemplateMethod): RouteListing['access'] {
    if (m.integration.problem) return { notEmulated: `${m.integration.type}: ${m.integration.problem}` };
    const fn = m.integration.type === 'AWS_PROXY' ? this.api.functions.get(m.integration.functionId ?? '') : undefined;
    const fnProblem = fn && functionProblem(fn);
    if (fnProblem) return { notEmulated: `${m.integration.type}: ${fnProblem}` };
    if (m.authorizationType === 'NONE') return { public: true };
    const authorizer = this.api.authorizers.get(m.authorizerId ?? '');
    if (m.authorizationType !== 'CUSTOM' || !authorizer) return { notEmulated: `authorization ${m.authorizationType} needs AWS` };
    if (authorizer.problem) return { notEmulated: authorizer.problem };
    const config = this.configs.get(authorizer.functionId);
    if (!config) return { notEmulated: `authorizer ${authorizer.logicalId} is not this library's` };
    const route = config.routes.find((r) => r.path === m.resourcePath && r.method === m.httpMethod);
    // The authorizer denies a route its configuration does not know, whatever the token.
    return { scopes: route?.scopes ?? ['(unknown route: always denied)'] };
  }
}

export const REST_API_KIND: ApiKind = {
  find(stack: SynthesizedStack): LocalApi[] {
    return readTemplateApis(stack.template, stack.assemblyDir, stack.assetPaths).flatMap((api) => {
      const configs = new Map<string, AuthorizerConfig>();
      for (const authorizer of api.authorizers.values()) {
        const config = authorizer.problem ? undefined : protectedAuthorizerConfig(api.functions.get(authorizer.functionId)?.assetDir);
        if (config) configs.set(authorizer.functionId, config);
      }
      if (configs.size === 0) return [];
      // Another authorizer on the same API is not run: its methods answer 501 saying so.
      const authorizers = new Map([...api.authorizers].map(([id, a]) => [id, configs.has(a.functionId) || a.problem ? a : { ...a, problem: `authorizer ${id} is not this library's, so it is not run locally` }]));
      return [new LocalRestApi(stack, { ...api, authorizers }, configs)];
    });
  },
};

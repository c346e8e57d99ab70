/** HTTP APIs (`AWS::ApiGatewayV2::Api`, protocol HTTP) protected by this library's authorizer, for the command. */
import { LocalHttpApi } from './gateway';
import { serveHttpApi } from './http-api-server';
import { authorizationNotEmulated, readHttpApis, type HttpApiDefinition, type HttpApiRouteDefinition } from './template';
import type { AuthorizerConfig } from '../../src/authorizer/authorizer-config';
import type { ApiKind, LocalApi, RouteListing, RunningApi, ServeContext, SynthesizedStack } from '../api-kind';
import { pointAuthorizerAt, protectedAuthorizerConfig } from '../authorizer-asset-copy';
import { functionProblem } from '../lambda/function-runner';
import { unresolvedEnvironmentWarnings } from '../lambda/template-functions';

class LocalHttpApiOfStack implements LocalApi {
  public readonly kind = 'HTTP API';
  public readonly name: string;

  public constructor(
    public readonly stack: SynthesizedStack,
    private readonly api: HttpApiDefinition,
    /** By authorizer function logical ID. */
    private readonly configs: Map<string, AuthorizerConfig>,
  ) {
    this.name = api.name.includes('/') ? api.name : `${stack.displayName}/${api.name}`;
  }

  public get authorizerConfigs(): AuthorizerConfig[] {
    return [...this.configs.values()];
  }

  public routes(): RouteListing[] {
    return this.api.routes
      // The construct's CORS preflight routes answer by themselves; the listing shows what a caller calls.
      .filter((r) => !(this.api.cors && r.routeKey.startsWith('OPTIONS ') && !r.authorizer))
      .map((r) => {
        const [method, path] = r.routeKey === '$default' ? ['ANY', '$default'] : r.routeKey.split(' ');
        return { method, path, access: this.access(r) };
      })
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }

  public warnings(): string[] {
    const used = this.api.routes.flatMap((r) => (r.integration?.kind === 'lambda' ? [r.integration.functionLogicalId] : []));
    return unresolvedEnvironmentWarnings(this.api.functions, used);
  }

  public async serve(context: ServeContext): Promise<RunningApi> {
    // Each authorizer runs from a copy of its asset pointed at the local issuer, by the command's function runner.
    const authorizers = new Map([...this.configs.keys()].map((id) => {
      const fn = this.api.functions.get(id)!;
      const dir = pointAuthorizerAt(fn.assetDir!, context.issuer, context.workDir, `${this.stack.stackName}-${id}`);
      return [id, { ...fn, logicalId: `${this.stack.stackName}-${id}`, assetDir: dir }];
    }));
    const gateway = new LocalHttpApi({
      api: this.api,
      functions: context.functions,
      authorizerNotEmulated: (authorizer) => (authorizers.has(authorizer.functionLogicalId ?? '') ? undefined : `authorizer ${authorizer.logicalId} is not this library's`),
      invokeAuthorizer: (authorizer, event) => {
        const fn = authorizers.get(authorizer.functionLogicalId ?? '');
        // Only this library's authorizers are run; a route behind another one is refused as API Gateway would fail it.
        return fn ? context.functions.invoke(fn, event) : Promise.resolve({ error: `authorizer ${authorizer.logicalId} is not run locally` });
      },
    });
    return serveHttpApi(gateway, { port: context.port, log: context.log, onActivity: context.onActivity });
  }

  private access(r: HttpApiRouteDefinition): RouteListing['access'] {
    const integration = r.integration;
    if (!integration || integration.kind === 'unsupported') return { notEmulated: integration?.description ?? 'the route has no integration' };
    if (integration.kind === 'lambda') {
      const fn = this.api.functions.get(integration.functionLogicalId);
      const problem = fn ? functionProblem(fn) : `function ${integration.functionLogicalId} is not in the template`;
      if (problem) return { notEmulated: `AWS_PROXY: ${problem}` };
    }
    const authorizationProblem = authorizationNotEmulated(r);
    if (authorizationProblem) return { notEmulated: authorizationProblem };
    if (!r.authorizer) return { public: true };
    const config = this.configs.get(r.authorizer.functionLogicalId ?? '');
    if (!config) return { notEmulated: `authorizer ${r.authorizer.logicalId} is not this library's` };
    const route = config.httpRoutes?.find((h) => h.routeKey === r.routeKey);
    // The authorizer denies a route its configuration does not know, whatever the token.
    return { scopes: route?.scopes ?? ['(unknown route: always denied)'] };
  }
}

export const HTTP_API_KIND: ApiKind = {
  find(stack: SynthesizedStack): LocalApi[] {
    return readHttpApis(stack.template as never, stack.assemblyDir, stack.assetPaths).flatMap((api) => {
      const configs = new Map<string, AuthorizerConfig>();
      for (const route of api.routes) {
        const id = route.authorizer?.functionLogicalId;
        const config = id === undefined || configs.has(id) ? undefined : protectedAuthorizerConfig(api.functions.get(id)?.assetDir);
        if (id !== undefined && config) configs.set(id, config);
      }
      return configs.size === 0 ? [] : [new LocalHttpApiOfStack(stack, api, configs)];
    });
  },
};

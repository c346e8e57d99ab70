import { Aspects, CfnResource, Duration } from 'aws-cdk-lib';
import { HttpRouteAuthorizerBindOptions, HttpRouteAuthorizerConfig, IHttpApi, IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AuthorizerRoutes, collectAuthorizerRoutes } from './authorizer-routes';
import { AUTH0_HTTP_AUTHORIZER_PROP_KEYS } from './http-api-known-keys';
import { httpAuthorizerProblems } from './http-rendered-checks';
import { Auth0AuthorizerProps } from '../authorizer/auth0-authorizer-props';
import { stageAuthorizerAsset } from '../authorizer/authorizer-asset';
import { AuthorizerCode } from '../authorizer/authorizer-code';
import { createAuthorizerFunction, dependOnPolicyOnly, StageAuthorizerAspect } from '../authorizer/authorizer-function';
import { AuthorizerVariants } from '../authorizer/authorizer-variants';
import { suppress } from '../authorizer/nag-metadata';
import { foreignAuthorizerProblems, markOwnAuthorizer } from '../authorizer/own-authorizers';
import { validateScopes } from '../authorizer/prop-validation';
import { staleTableProblems } from '../authorizer/staged-table-check';
import { authorizerConfigOf, resolveTokenSettings, TokenSettings } from '../authorizer/token-settings';
import { refuseUnknownKeys } from '../authorizer/unknown-keys';

/** Properties of {@link Auth0HttpAuthorizer}. */
export interface Auth0HttpAuthorizerProps extends Auth0AuthorizerProps {
  /**
   * How long API Gateway caches an authorizer decision, per token and route. `Duration.seconds(0)`
   * turns caching off. At most one hour. A cached decision is honoured for the whole TTL, so up to
   * this long after a token's `exp` or its revocation. With `dpop` on, caching is off and a TTL
   * above 0 is refused: every request's proof is checked.
   *
   * @default Duration.minutes(5), or Duration.seconds(0) with `dpop` ALLOWED or REQUIRED
   */
  readonly authorizerCacheTtl?: Duration;
}

/**
 * The Auth0 (or any OpenID Connect issuer) Lambda authorizer alone, for HTTP API routes you wire
 * yourself in CDK's idiom: `httpApi.addRoutes({ ..., authorizer: auth })`, or
 * `new HttpApi(this, 'Api', { defaultAuthorizer: auth })`. 401 for a missing or invalid token,
 * 403 for a valid token lacking a required scope; decisions are cached per route key.
 *
 * Its route table is the set of routes that use it, read at synthesis from the app as
 * CloudFormation will deploy it (escape-hatch overrides included): a route added with
 * `auth.withScopes('write:orders')` requires those scopes too (all of them). It belongs to one HTTP
 * API; binding it to a second fails (create one per API).
 */
export class Auth0HttpAuthorizer extends Construct implements IHttpRouteAuthorizer {
  /** The Lambda function that verifies tokens. */
  public readonly authorizerFunction: LambdaFunction;

  /** Where the authorizer function logs, in JSON. */
  public readonly authorizerLogGroup: ILogGroup;

  private readonly settings: TokenSettings;
  private readonly code = new AuthorizerCode();
  private readonly authorizer: HttpLambdaAuthorizer;
  /** Its withScopes variants, told apart in the rendered template. */
  private readonly variants = new AuthorizerVariants();
  private api?: IHttpApi;
  /** The `AWS::ApiGatewayV2::Authorizer`, created when the first route binds it. */
  private resource?: CfnResource;
  private found?: AuthorizerRoutes;

  constructor(scope: Construct, id: string, props: Auth0HttpAuthorizerProps) {
    super(scope, id);
    refuseUnknownKeys('Auth0HttpAuthorizer props', props, AUTH0_HTTP_AUTHORIZER_PROP_KEYS);
    this.settings = resolveTokenSettings(this, props);
    const fn = createAuthorizerFunction(this, {
      code: this.code,
      issuer: this.settings.issuer.issuer,
      audience: this.settings.audience,
      memorySize: props.authorizerMemorySize,
      tracing: false,
    });
    this.authorizerFunction = fn.fn;
    this.authorizerLogGroup = fn.logGroup;
    this.authorizer = new HttpLambdaAuthorizer('RequestAuthorizer', this.authorizerFunction, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      // Cached per route key, as Auth0ProtectedHttpApi does ("To cache responses per route, add
      // $context.routeKey to your authorizer's identity sources": "Control access to HTTP APIs with
      // AWS Lambda authorizers", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
      identitySource: ['$request.header.Authorization', '$context.routeKey'],
      resultsCacheTtl: this.settings.cacheTtl,
    });
    Aspects.of(this).add(new StageAuthorizerAspect(this, () => this.stage()));
    this.node.addValidation({ validate: () => this.renderedProblems() });
  }

  /** Called by CDK for each route that uses this authorizer. */
  public bind(options: HttpRouteAuthorizerBindOptions): HttpRouteAuthorizerConfig {
    return this.bindWith(options);
  }

  /**
   * This authorizer for routes that require more scopes, in addition to `requiredScopes`: a token
   * must hold all of them. Pass the result as a route's `authorizer`.
   *
   * @param scopes the scopes the routes using the result require
   */
  public withScopes(...scopes: string[]): IHttpRouteAuthorizer {
    const checked = validateScopes('withScopes', scopes);
    // One variant id per withScopes call, made once the authorizer resource exists (on first bind).
    let authorizerId: string | undefined;
    return {
      bind: (options: HttpRouteAuthorizerBindOptions) => {
        const config = this.bindWith(options);
        if (this.resource === undefined || config.authorizerId === undefined) return config; // not reached: bindWith creates both
        authorizerId ??= this.variants.add(this.resource, config.authorizerId, checked);
        return { ...config, authorizerId };
      },
    };
  }

  /** Every route key that uses this authorizer; complete once the app is synthesized. */
  public get protectedRoutes(): string[] {
    return this.found?.table.keys(false) ?? [];
  }

  private bindWith(options: HttpRouteAuthorizerBindOptions): HttpRouteAuthorizerConfig {
    if (this.code.isStaged) throw new Error(`Auth0HttpAuthorizer ${this.node.path}: a route was bound to it after the app was synthesized. Add every route before synthesis.`);
    const api = options.route.httpApi;
    if (this.api !== undefined && this.api !== api && this.api.apiId !== api.apiId) {
      throw new Error(`Auth0HttpAuthorizer ${this.node.path}: routes of two HTTP APIs use it (${this.api.node.path}, ${api.node.path}), but an API Gateway authorizer belongs to one API. `
        + 'Create one Auth0HttpAuthorizer per HTTP API.');
    }
    this.api = api;
    // Its API Gateway authorizer lives under this construct, whichever route binds it first.
    const config = this.authorizer.bind({ route: options.route, scope: this });
    const resource = this.node.tryFindChild('RequestAuthorizer')?.node.defaultChild;
    if (resource instanceof CfnResource && this.resource === undefined) {
      this.resource = resource;
      markOwnAuthorizer(resource, this.authorizerFunction);
    }
    return config;
  }

  private collect(resource: CfnResource): AuthorizerRoutes {
    return collectAuthorizerRoutes(this.node.root, resource, this.variants, this.settings.requiredScopes, `Auth0HttpAuthorizer ${this.node.path}`);
  }

  /**
   * Read at validation, after every aspect and escape hatch: the routes that deploy with this
   * authorizer must still be the ones its route table was staged from, and the authorizer resource
   * what per-route decisions rely on (see http-rendered-checks.ts).
   */
  private renderedProblems(): string[] {
    if (this.found === undefined || this.resource === undefined) return [];
    const now = this.collect(this.resource);
    return [
      ...now.problems,
      ...staleTableProblems(`Auth0HttpAuthorizer ${this.node.path}`, this.found.entries, now.entries),
      ...httpAuthorizerProblems({
        authorizer: this.resource, fn: this.authorizerFunction.node.defaultChild as CfnResource, cacheTtl: this.settings.cacheTtl,
      }),
      ...foreignAuthorizerProblems(this.authorizerFunction, this.node.path),
    ];
  }

  private stage(): void {
    if (this.code.isStaged) return;
    if (this.resource === undefined) {
      throw new Error(`Auth0HttpAuthorizer ${this.node.path}: no route uses it. Pass it to addRoutes({ ..., authorizer }) or defaultAuthorizer, or remove it.`);
    }
    const found = this.collect(this.resource);
    if (found.problems.length > 0) throw new Error(found.problems.join('\n'));
    this.found = found;
    const config = authorizerConfigOf(this.settings, { policyScope: 'route', routes: [], httpRoutes: found.table.authorizerRoutes() });
    this.code.stage(this, 'AuthorizerCode', stageAuthorizerAsset(config));
    dependOnPolicyOnly(this.authorizerFunction);
    const cognito = { id: 'AwsSolutions-COG4', reason: 'Tokens are verified by the Auth0/OpenID Connect Lambda authorizer of cdk-auth0-protected-api, not by a Cognito user pool.' };
    for (const route of found.routes) suppress(route, [cognito]);
    suppress(this.authorizerFunction, [
      { id: 'Serverless-LambdaDLQ', reason: 'API Gateway invokes the authorizer synchronously; a dead-letter queue only serves asynchronous invocations.' },
      { id: 'Serverless-LambdaTracing', reason: 'HTTP APIs have no X-Ray tracing, so a traced authorizer would show isolated segments only.' },
    ]);
  }
}

import { Aspects, CfnResource, Duration, Lazy } from 'aws-cdk-lib';
import { AuthorizationType, IAuthorizer, IdentitySource, RequestAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { attachAuthorizer } from './attach-authorizer';
import { AuthorizerMethods, collectAuthorizerMethods } from './authorizer-methods';
import { AUTH0_REST_AUTHORIZER_PROP_KEYS } from './rest-api-known-keys';
import { restAuthorizerProblems } from './rest-rendered-checks';
import { Auth0AuthorizerProps } from '../authorizer/auth0-authorizer-props';
import { stageAuthorizerAsset } from '../authorizer/authorizer-asset';
import { AuthorizerCode } from '../authorizer/authorizer-code';
import { createAuthorizerFunction, dependOnPolicyOnly, StageAuthorizerAspect } from '../authorizer/authorizer-function';
import { suppress } from '../authorizer/nag-metadata';
import { foreignAuthorizerProblems, markOwnAuthorizer } from '../authorizer/own-authorizers';
import { validateMemorySize, validateScopes } from '../authorizer/prop-validation';
import { authorizerConfigOf, resolveTokenSettings, TokenSettings } from '../authorizer/token-settings';
import { refuseUnknownKeys } from '../authorizer/unknown-keys';

/** Properties of {@link Auth0RestAuthorizer}. */
export interface Auth0RestAuthorizerProps extends Auth0AuthorizerProps {
  /**
   * How long API Gateway caches an authorizer decision for a token. `Duration.seconds(0)` turns
   * caching off. At most one hour. A cached Allow is honoured for the whole TTL, so up to this long
   * after a token's `exp` or its revocation. With `dpop` on, caching is off and a TTL above 0 is
   * refused: every request's proof is checked.
   *
   * @default Duration.minutes(5), or Duration.seconds(0) with `dpop` ALLOWED or REQUIRED
   */
  readonly authorizerCacheTtl?: Duration;
}

/**
 * The Auth0 (or any OpenID Connect issuer) Lambda authorizer alone, for REST API methods you wire
 * yourself in CDK's idiom: `resource.addMethod('GET', integration, { authorizer: auth })`, or
 * `defaultMethodOptions: { authorizer: auth }`. 401 for a missing or invalid token, 403 for a
 * valid token lacking a required scope.
 *
 * Its route table is the set of methods that use it, read from the app at synthesis: a method
 * added with `auth.withScopes('write:orders')` requires those scopes too (all of them). It belongs
 * to one REST API; methods of two APIs using it fail synthesis (create one per API). Unlike
 * `Auth0ProtectedApi`, it adds no gateway responses and checks no method that does not use it.
 */
export class Auth0RestAuthorizer extends Construct implements IAuthorizer {
  /** The API Gateway authorizer's id. */
  public readonly authorizerId: string;

  /** Always `CUSTOM`: a Lambda authorizer. */
  public readonly authorizationType?: AuthorizationType = AuthorizationType.CUSTOM;

  /** The Lambda function that verifies tokens. */
  public readonly authorizerFunction: LambdaFunction;

  /** Where the authorizer function logs, in JSON. */
  public readonly authorizerLogGroup: ILogGroup;

  private readonly settings: TokenSettings;
  private readonly code = new AuthorizerCode();
  private readonly authorizer: RequestAuthorizer;
  /** Each id a method may carry (this authorizer's and its withScopes variants') with the scopes it adds. */
  private readonly variants = new Map<string, string[]>();
  private found?: AuthorizerMethods;

  constructor(scope: Construct, id: string, props: Auth0RestAuthorizerProps) {
    super(scope, id);
    refuseUnknownKeys('Auth0RestAuthorizer props', props, AUTH0_REST_AUTHORIZER_PROP_KEYS);
    this.settings = resolveTokenSettings(this, props);
    const fn = createAuthorizerFunction(this, {
      code: this.code,
      issuer: this.settings.issuer.issuer,
      audience: this.settings.audience,
      memorySize: validateMemorySize(props.authorizerMemorySize ?? 256),
      tracing: false,
    });
    this.authorizerFunction = fn.fn;
    this.authorizerLogGroup = fn.logGroup;
    this.authorizer = new RequestAuthorizer(this, 'RequestAuthorizer', {
      handler: this.authorizerFunction,
      resultsCacheTtl: this.settings.cacheTtl,
      // Decided with the route table, as Auth0ProtectedApi decides it (see choosePolicyScope).
      identitySources: [Lazy.string({ produce: () => this.identitySource() })],
    });
    this.authorizerId = this.authorizer.authorizerId;
    markOwnAuthorizer(this.authorizer.node.defaultChild as CfnResource, this.authorizerFunction);
    this.node.addValidation({
      validate: () => [
        // As it will deploy (escape-hatch edits included): the same cache guarantees as the construct's.
        ...(this.found === undefined ? [] : restAuthorizerProblems(this.authorizer.node.defaultChild as CfnResource, {
          fn: this.authorizerFunction,
          cacheTtl: this.settings.cacheTtl,
          policyScope: this.found.routes.policyScope(),
        })),
        ...foreignAuthorizerProblems(this.authorizerFunction, this.node.path),
      ],
    });
    this.variants.set(this.authorizerId, []);
    Aspects.of(this).add(new StageAuthorizerAspect(this, () => this.stage()));
  }

  /**
   * This authorizer for methods that require more scopes, in addition to `requiredScopes`: a token
   * must hold all of them. Pass the result as a method's `authorizer`.
   *
   * @param scopes the scopes the methods using the result require
   */
  public withScopes(...scopes: string[]): IAuthorizer {
    const checked = validateScopes('withScopes', scopes);
    // A distinct token for the same authorizer id: which one a method carries tells its scopes.
    const authorizerId = Lazy.string({ produce: () => this.authorizerId });
    this.variants.set(authorizerId, checked);
    return { authorizerId, authorizationType: AuthorizationType.CUSTOM };
  }

  /** Every route that uses this authorizer, as `'METHOD /path'`; complete once the app is synthesized. */
  public get protectedRoutes(): string[] {
    return this.found?.routes.keys(false) ?? [];
  }

  private identitySource(): string {
    const header = IdentitySource.header('Authorization');
    if (this.found === undefined || this.found.routes.policyScope() === 'api') return header;
    return [header, IdentitySource.context('httpMethod'), IdentitySource.context('resourcePath')].join(',');
  }

  private stage(): void {
    if (this.code.isStaged) return;
    this.found = collectAuthorizerMethods(this.node.root, this.variants, this.settings.requiredScopes, `Auth0RestAuthorizer ${this.node.path}`);
    attachAuthorizer(this.authorizer, this.found.api);
    const config = authorizerConfigOf(this.settings, { policyScope: this.found.routes.policyScope(), routes: this.found.routes.authorizerRoutes() });
    this.code.stage(this, 'AuthorizerCode', stageAuthorizerAsset(config));
    dependOnPolicyOnly(this.authorizerFunction);
    const cognito = { id: 'AwsSolutions-COG4', reason: 'Tokens are verified by the Auth0/OpenID Connect Lambda authorizer of cdk-auth0-protected-api, not by a Cognito user pool.' };
    for (const method of this.found.methods) suppress(method, [cognito]);
    suppress(this.authorizerFunction, [
      { id: 'Serverless-LambdaDLQ', reason: 'API Gateway invokes the authorizer synchronously; a dead-letter queue only serves asynchronous invocations.' },
      { id: 'Serverless-LambdaTracing', reason: 'The standalone authorizer leaves X-Ray tracing off; it is billed per traced request.' },
    ]);
  }
}

import { Aspects, CfnResource, Duration, Lazy } from 'aws-cdk-lib';
import { AuthorizationType, IAuthorizer, IdentitySource, RequestAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { attachAuthorizer } from './attach-authorizer';
import { AuthorizerMethods, collectAuthorizerMethods } from './authorizer-methods';
import { validateCorsForErrorResponses } from './cors';
import { addHandoverGatewayResponses } from './handover-gateway-responses';
import { AUTH0_REST_AUTHORIZER_PROP_KEYS } from './rest-api-known-keys';
import { restAuthorizerProblems } from './rest-rendered-checks';
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

  /**
   * Adds the 401 and 403 gateway responses `Auth0ProtectedApi` gives its API to the REST API this
   * authorizer is used on, for each type the API does not define: a JSON body, `WWW-Authenticate`
   * (RFC 6750 `invalid_token`, `insufficient_scope`) and, when the API's root has
   * `defaultCorsPreflightOptions`, CORS headers on them and on `DEFAULT_4XX`/`DEFAULT_5XX`, so a
   * browser can read why it was refused. A response of that type the API already has must carry
   * `WWW-Authenticate` (and the CORS origin), or synthesis fails naming it. Off by default because
   * a gateway response answers for every method of the API: a 403 from IAM, a resource policy or
   * another authorizer would then also say `insufficient_scope`.
   *
   * @default false - API Gateway's own 401 and 403 (`{"message":"Unauthorized"}`, no CORS headers)
   */
  readonly gatewayResponses?: boolean;
}

/**
 * The Auth0 (or any OpenID Connect issuer) Lambda authorizer alone, for REST API methods you wire
 * yourself in CDK's idiom: `resource.addMethod('GET', integration, { authorizer: auth })`, or
 * `defaultMethodOptions: { authorizer: auth }`. 401 for a missing or invalid token, 403 for a
 * valid token lacking a required scope.
 *
 * Its route table is the set of methods that use it, read at synthesis from the app as
 * CloudFormation will deploy it (escape-hatch overrides included): a method added with
 * `auth.withScopes('write:orders')` requires those scopes too (all of them). It belongs
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
  private readonly gatewayResponses: boolean;
  private readonly code = new AuthorizerCode();
  private readonly authorizer: RequestAuthorizer;
  /** Its withScopes variants, told apart in the rendered template. */
  private readonly variants = new AuthorizerVariants();
  private found?: AuthorizerMethods;

  constructor(scope: Construct, id: string, props: Auth0RestAuthorizerProps) {
    super(scope, id);
    refuseUnknownKeys('Auth0RestAuthorizer props', props, AUTH0_REST_AUTHORIZER_PROP_KEYS);
    this.settings = resolveTokenSettings(this, props);
    this.gatewayResponses = props.gatewayResponses ?? false;
    if (typeof this.gatewayResponses !== 'boolean') {
      throw new Error(`gatewayResponses: ${JSON.stringify(this.gatewayResponses)} is not a boolean. Set true to add the 401/403 gateway responses, or leave it out.`);
    }
    const fn = createAuthorizerFunction(this, {
      code: this.code,
      issuer: this.settings.issuer.issuer,
      audience: this.settings.audience,
      memorySize: props.authorizerMemorySize,
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
    markOwnAuthorizer(this.resource, this.authorizerFunction);
    this.node.addValidation({ validate: () => this.renderedProblems() });
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
    return { authorizerId: this.variants.add(this.resource, this.authorizerId, checked), authorizationType: AuthorizationType.CUSTOM };
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

  /** The `AWS::ApiGateway::Authorizer`. */
  private get resource(): CfnResource {
    return this.authorizer.node.defaultChild as CfnResource;
  }

  private collect(): AuthorizerMethods {
    return collectAuthorizerMethods(this.node.root, this.resource, this.variants, this.settings.requiredScopes, `Auth0RestAuthorizer ${this.node.path}`);
  }

  /**
   * Read at validation, after every aspect and escape hatch: the methods that deploy with this
   * authorizer must still be the ones its route table was staged from, and the authorizer resource
   * what the table's policy and cache guarantees rely on (see rest-rendered-checks.ts).
   */
  private renderedProblems(): string[] {
    if (this.found === undefined) return [];
    const now = this.collect();
    return [
      ...now.problems,
      ...staleTableProblems(`Auth0RestAuthorizer ${this.node.path}`, this.found.entries, now.entries),
      ...restAuthorizerProblems(this.resource, {
        fn: this.authorizerFunction, cacheTtl: this.settings.cacheTtl, policyScope: this.found.routes.policyScope(),
      }),
      ...foreignAuthorizerProblems(this.authorizerFunction, this.node.path),
    ];
  }

  private stage(): void {
    if (this.code.isStaged) return;
    const found = this.collect();
    if (found.problems.length > 0 || found.api === undefined) throw new Error(found.problems.join('\n'));
    this.found = found;
    attachAuthorizer(this.authorizer, found.api);
    if (this.gatewayResponses) {
      // The API's CORS is its owner's, as on a handed-over API (see handover-gateway-responses.ts).
      const cors = found.api.root.defaultCorsPreflightOptions;
      if (cors) validateCorsForErrorResponses(cors);
      addHandoverGatewayResponses(found.api, cors, this.settings.dpop, 'gatewayResponses');
    }
    const config = authorizerConfigOf(this.settings, { policyScope: this.found.routes.policyScope(), routes: this.found.routes.authorizerRoutes() });
    this.code.stage(this, 'AuthorizerCode', stageAuthorizerAsset(config));
    dependOnPolicyOnly(this.authorizerFunction);
    const cognito = { id: 'AwsSolutions-COG4', reason: 'Tokens are verified by the Auth0/OpenID Connect Lambda authorizer of cdk-auth0-protected-api, not by a Cognito user pool.' };
    for (const method of found.methods) suppress(method, [cognito]);
    suppress(this.authorizerFunction, [
      { id: 'Serverless-LambdaDLQ', reason: 'API Gateway invokes the authorizer synchronously; a dead-letter queue only serves asynchronous invocations.' },
      { id: 'Serverless-LambdaTracing', reason: 'The standalone authorizer leaves X-Ray tracing off; it is billed per traced request.' },
    ]);
  }
}

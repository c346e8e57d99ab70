import { CfnOutput, CfnResource, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ExampleStackProps } from './example-stack';
import { HTTP_ECHO_HANDLER } from './http-api-stack';
import { Auth0HttpAuthorizer } from '../../src';

/** Answers a CORS preflight with 204; API Gateway adds the API's CORS headers to it. */
const PREFLIGHT_HANDLER = 'exports.handler = async () => ({ statusCode: 204 });';

/**
 * The example API as an HTTP API wired in CDK's own idiom, with `Auth0HttpAuthorizer` as the
 * authorizer of each route: the same routes and scopes as HttpApiExampleStack. `withScopes` adds
 * per-route scopes (all of them); the route table is read from the routes at synthesis.
 */
export class StandaloneAuthorizerExampleStack extends Stack {
  public readonly authorizer: Auth0HttpAuthorizer;
  public readonly httpApi: HttpApi;

  constructor(scope: Construct, id: string, props: ExampleStackProps & StackProps = {}) {
    super(scope, id, props);
    const fn = (name: string, code: string) => {
      const f = new LambdaFunction(this, name, {
        runtime: Runtime.NODEJS_22_X,
        architecture: Architecture.ARM_64,
        handler: 'index.handler',
        code: Code.fromInline(code),
        memorySize: 128,
        timeout: Duration.seconds(5),
      });
      // CDK adds a DependsOn on the role that the role's GetAtt already implies; cfn-lint warns (W3005).
      (f.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
      return f;
    };
    const integration = new HttpLambdaIntegration('Backend', fn('Backend', HTTP_ECHO_HANDLER));

    this.authorizer = new Auth0HttpAuthorizer(this, 'Auth', {
      domain: props.issuer ? undefined : props.domain ?? 'example.us.auth0.com',
      issuer: props.issuer,
      audience: props.audience ?? 'https://api.example.com',
      requiredScopes: ['read:colors'],
      contextClaims: { roles: 'https://example.com/roles' },
    });
    const auth = this.authorizer;
    this.httpApi = new HttpApi(this, 'ShopApi', {
      corsPreflight: { allowOrigins: ['https://app.example.com'], allowHeaders: ['authorization', 'content-type'], allowMethods: [CorsHttpMethod.ANY] },
    });
    this.httpApi.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration });
    this.httpApi.addRoutes({ path: '/colors', methods: [HttpMethod.GET], integration, authorizer: auth });
    this.httpApi.addRoutes({ path: '/colors/{name}', methods: [HttpMethod.GET], integration, authorizer: auth });
    this.httpApi.addRoutes({ path: '/colors', methods: [HttpMethod.POST], integration, authorizer: auth.withScopes('write:colors') });
    this.httpApi.addRoutes({ path: '/colors/{name}', methods: [HttpMethod.DELETE], integration, authorizer: auth.withScopes('delete:colors') });
    this.httpApi.addRoutes({ path: '/files/{proxy+}', methods: [HttpMethod.ANY], integration, authorizer: auth.withScopes('read:files') });
    // An ANY route also matches the browser's preflight, which carries no token: route it past the authorizer.
    this.httpApi.addRoutes({ path: '/files/{proxy+}', methods: [HttpMethod.OPTIONS], integration: new HttpLambdaIntegration('Preflight', fn('Preflight', PREFLIGHT_HANDLER)) });

    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the HTTP API', value: this.httpApi.apiEndpoint + '/' });
    new CfnOutput(this, 'AuthorizerLogGroup', { description: 'Log group of the authorizer function, one JSON line per refused request', value: auth.authorizerLogGroup.logGroupName });
  }
}

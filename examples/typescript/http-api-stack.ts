import { CfnOutput, CfnResource, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ExampleStackProps } from './example-stack';
import { Auth0ProtectedHttpApi } from '../../src';

/**
 * Backend of the HTTP API example (payload format 2.0): echoes the route and what the authorizer
 * passed on, which HTTP APIs deliver as `requestContext.authorizer.lambda`. It sets no CORS
 * headers: with `cors` set, API Gateway adds them and ignores the backend's.
 */
export const HTTP_ECHO_HANDLER = [
  'exports.handler = async (event) => ({',
  '  statusCode: 200,',
  "  headers: { 'content-type': 'application/json' },",
  '  body: JSON.stringify({ routeKey: event.routeKey, authorizer: (event.requestContext.authorizer || {}).lambda || null }),',
  '});',
].join('\n');

/** The example as an HTTP API: the same routes and scopes as ExampleStack. */
export class HttpApiExampleStack extends Stack {
  public readonly api: Auth0ProtectedHttpApi;

  constructor(scope: Construct, id: string, props: ExampleStackProps & StackProps = {}) {
    super(scope, id, props);
    const backend = new LambdaFunction(this, 'Backend', {
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline(HTTP_ECHO_HANDLER),
      memorySize: 128,
      timeout: Duration.seconds(5),
    });
    // CDK adds a DependsOn on the role that the role's GetAtt already implies; cfn-lint warns (W3005).
    (backend.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    const integration = new HttpLambdaIntegration('Backend', backend);

    this.api = new Auth0ProtectedHttpApi(this, 'Api', {
      domain: props.issuer ? undefined : props.domain ?? 'example.us.auth0.com',
      issuer: props.issuer,
      audience: props.audience ?? 'https://api.example.com',
      requiredScopes: ['read:colors'],
      publicRoutes: ['GET /health'],
      cors: { allowOrigins: ['https://app.example.com'], allowHeaders: ['authorization', 'content-type'] },
      contextClaims: { roles: 'https://example.com/roles' },
    });
    this.api.addRoute('GET /health', integration);
    this.api.addRoute('GET /colors', integration);
    this.api.addRoute('GET /colors/{name}', integration);
    this.api.addRoute('POST /colors', integration, { scopes: ['write:colors'] });
    this.api.addRoute('DELETE /colors/{name}', integration, { scopes: ['delete:colors'] });
    this.api.addRoute('ANY /files/{proxy+}', integration, { scopes: ['read:files'] });

    // The same output names as the REST example, for the README's Deploy steps.
    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the HTTP API', value: this.api.url });
    new CfnOutput(this, 'AuthorizerLogGroup', { description: 'Log group of the authorizer function, one JSON line per refused request', value: this.api.authorizerLogGroup.logGroupName });
  }
}

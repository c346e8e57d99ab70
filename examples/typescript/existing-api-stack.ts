import { CfnOutput, CfnResource, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { AccessLogFormat, LambdaIntegration, LogGroupLogDestination, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { echoHandler, ExampleStackProps } from './example-stack';
import { Auth0ProtectedApi } from '../../src';

/**
 * The example API as a REST API its owner already has (built with CDK's own `addResource`,
 * `addMethod` and `addProxy`), handed over to `Auth0ProtectedApi`: the same routes and scopes as
 * ExampleStack. Every method without authorization of its own gets the authorizer at synthesis;
 * `requireScopes` adds per-method scopes; the stage and CORS stay the owner's.
 */
export class ExistingApiExampleStack extends Stack {
  public readonly api: Auth0ProtectedApi;

  constructor(scope: Construct, id: string, props: ExampleStackProps & StackProps = {}) {
    super(scope, id, props);
    const allowOrigins = props.allowOrigins ?? ['https://app.example.com'];
    const backend = new LambdaFunction(this, 'Backend', {
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline(echoHandler(allowOrigins)),
      memorySize: 128,
      timeout: Duration.seconds(5),
    });
    // CDK adds a DependsOn on the role that the role's GetAtt already implies; cfn-lint warns (W3005).
    (backend.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });

    // The API as its owner built it, before any authorizer.
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    const restApi = new RestApi(this, 'ShopApi', {
      defaultIntegration: new LambdaIntegration(backend),
      defaultCorsPreflightOptions: { allowOrigins },
      deployOptions: { accessLogDestination: new LogGroupLogDestination(accessLogs), accessLogFormat: AccessLogFormat.clf() },
    });
    restApi.root.addResource('health').addMethod('GET');
    const colors = restApi.root.addResource('colors');
    colors.addMethod('GET');
    const create = colors.addMethod('POST');
    const color = colors.addResource('{name}');
    color.addMethod('GET');
    const remove = color.addMethod('DELETE');
    const files = restApi.root.addResource('files').addProxy();

    this.api = new Auth0ProtectedApi(this, 'Auth', {
      restApi,
      domain: props.issuer ? undefined : props.domain ?? 'example.us.auth0.com',
      issuer: props.issuer,
      audience: props.audience ?? 'https://api.example.com',
      requiredScopes: ['read:colors'],
      publicRoutes: ['GET /health'],
      contextClaims: { roles: 'https://example.com/roles' },
    });
    this.api.requireScopes(create, ['write:colors']);
    this.api.requireScopes(remove, ['delete:colors']);
    this.api.requireScopes(files.anyMethod!, ['read:files']);

    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the API stage', value: this.api.url });
    new CfnOutput(this, 'AuthorizerLogGroup', { description: 'Log group of the authorizer function, one JSON line per refused request', value: this.api.authorizerLogGroup.logGroupName });
  }
}

import { CfnResource, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { LambdaIntegration } from 'aws-cdk-lib/aws-apigateway';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Auth0ProtectedApi } from '../../src';

/** Where tokens come from. The defaults are placeholders; pass your tenant with `-c`/env or props. */
export interface ExampleStackProps extends StackProps {
  /** Auth0 tenant domain. @default 'example.us.auth0.com' */
  readonly domain?: string;
  /** Exact issuer, for a provider that is not Auth0 (the local end-to-end provider). @default - from domain */
  readonly issuer?: string;
  /** API identifier. @default 'https://api.example.com' */
  readonly audience?: string;
}

/**
 * Backend shared by every route: echoes who called and what the authorizer passed on.
 * Inline, so the template is the same in every language and needs no build step.
 */
export const ECHO_HANDLER = [
  'exports.handler = async (event) => ({',
  '  statusCode: 200,',
  "  headers: { 'content-type': 'application/json' },",
  '  body: JSON.stringify({ route: event.httpMethod + " " + event.resource, authorizer: event.requestContext.authorizer || null }),',
  '});',
].join('\n');

/** The example API: a public health check, colors with per-method scopes, files behind a greedy path. */
export class ExampleStack extends Stack {
  public readonly api: Auth0ProtectedApi;

  constructor(scope: Construct, id: string, props: ExampleStackProps = {}) {
    super(scope, id, props);
    const backend = new LambdaFunction(this, 'Backend', {
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline(ECHO_HANDLER),
      memorySize: 128,
      timeout: Duration.seconds(5),
    });
    // CDK adds a DependsOn on the role that the role's GetAtt already implies; cfn-lint warns (W3005).
    (backend.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    const integration = new LambdaIntegration(backend);

    this.api = new Auth0ProtectedApi(this, 'Api', {
      domain: props.issuer ? undefined : props.domain ?? 'example.us.auth0.com',
      issuer: props.issuer,
      audience: props.audience ?? 'https://api.example.com',
      requiredScopes: ['read:colors'],
      publicRoutes: ['GET /health'],
      cors: { allowOrigins: ['https://app.example.com'] },
      contextClaims: { roles: 'https://example.com/roles' },
    });
    this.api.addRoute('GET /health', integration);
    this.api.addRoute('GET /colors', integration);
    this.api.addRoute('GET /colors/{name}', integration);
    this.api.addRoute('POST /colors', integration, { scopes: ['write:colors'] });
    this.api.addRoute('DELETE /colors/{name}', integration, { scopes: ['delete:colors'] });
    this.api.addRoute('ANY /files/{proxy+}', integration, { scopes: ['read:files'] });
  }
}

import { CfnOutput, CfnResource, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { LambdaIntegration } from 'aws-cdk-lib/aws-apigateway';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Auth0ProtectedApi, DpopMode } from '../../src';

/** Where tokens come from. The defaults are placeholders; pass your tenant with `-c`/env or props. */
export interface ExampleStackProps extends StackProps {
  /** Auth0 tenant domain. @default 'example.us.auth0.com' */
  readonly domain?: string;
  /** Exact issuer, for a provider that is not Auth0 (the local end-to-end provider). @default - from domain */
  readonly issuer?: string;
  /** API identifier. @default 'https://api.example.com' */
  readonly audience?: string;
  /** Origins of the browser apps that call the API (API Gateway's CORS and the backend's). @default ['https://app.example.com'] */
  readonly allowOrigins?: string[];
  /** DPoP sender-constrained tokens (the single-page app's `useDpop`). @default DpopMode.DISABLED */
  readonly dpop?: DpopMode;
}

/**
 * Backend shared by every route: echoes who called and what the authorizer passed on.
 * Inline, so the template is the same in every language and needs no build step.
 *
 * A Lambda proxy integration answers the browser itself, so its responses must carry the CORS
 * headers API Gateway adds only to its own (preflight, 401, 403): the request's Origin echoed back
 * when it is one of `allowedOrigins`, none otherwise, and `Vary: Origin` so that no cache serves one
 * origin's answer to another. Header names in a proxy event keep the client's case.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html
 */
export function echoHandler(allowedOrigins: string[]): string {
  return [
    `const allowedOrigins = ['${allowedOrigins.join("', '")}'];`,
    'exports.handler = async (event) => {',
    "  const origin = Object.entries(event.headers || {}).find(([name]) => name.toLowerCase() === 'origin')?.[1];",
    "  const cors = allowedOrigins.includes(origin) ? { 'access-control-allow-origin': origin } : {};",
    '  return {',
    '    statusCode: 200,',
    "    headers: { 'content-type': 'application/json', 'vary': 'Origin', ...cors },",
    '    body: JSON.stringify({ route: event.httpMethod + " " + event.resource, authorizer: event.requestContext.authorizer || null }),',
    '  };',
    '};',
  ].join('\n');
}

/** The example API: a public health check, colors with per-method scopes, files behind a greedy path. */
export class ExampleStack extends Stack {
  public readonly api: Auth0ProtectedApi;

  constructor(scope: Construct, id: string, props: ExampleStackProps = {}) {
    super(scope, id, props);
    const allowOrigins = props.allowOrigins ?? ['https://app.example.com'];
    // The backend's code quotes each origin, and a browser sends only scheme://host[:port].
    const malformed = allowOrigins.filter((origin) => !/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]+)?$/.test(origin));
    if (malformed.length > 0) {
      throw new Error(`allowOrigins (ALLOWED_ORIGINS): ${malformed.map((o) => JSON.stringify(o)).join(', ')} is not an origin. Give scheme://host[:port], without a path or trailing slash, for example https://app.example.com.`);
    }
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
    const integration = new LambdaIntegration(backend);

    this.api = new Auth0ProtectedApi(this, 'Api', {
      domain: props.issuer ? undefined : props.domain ?? 'example.us.auth0.com',
      issuer: props.issuer,
      audience: props.audience ?? 'https://api.example.com',
      requiredScopes: ['read:colors'],
      publicRoutes: ['GET /health'],
      cors: { allowOrigins },
      contextClaims: { roles: 'https://example.com/roles' },
      dpop: props.dpop,
    });
    this.api.addRoute('GET /health', integration);
    this.api.addRoute('GET /colors', integration);
    this.api.addRoute('GET /colors/{name}', integration);
    this.api.addRoute('POST /colors', integration, { scopes: ['write:colors'] });
    this.api.addRoute('DELETE /colors/{name}', integration, { scopes: ['delete:colors'] });
    this.api.addRoute('ANY /files/{proxy+}', integration, { scopes: ['read:files'] });

    // Stable output names for scripts (`cdk deploy --outputs-file`) and the README's Deploy steps.
    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the API stage', value: this.api.url });
    new CfnOutput(this, 'AuthorizerLogGroup', { description: 'Log group of the authorizer function, one JSON line per refused request', value: this.api.authorizerLogGroup.logGroupName });
  }
}

/**
 * An Auth0ProtectedHttpApi synthesized for a loopback issuer, served by the local HTTP API
 * emulation (local/http-api/) over the template, with the shipped authorizer bundle from the
 * template's own asset in a child process and the backend run by local/'s FunctionRunner.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { AuthorizerProcess } from './authorizer-process';
import { JwksServer } from './jwks-server';
import { generateSigningKey, jwksOf, TokenMinter } from './tokens';
import { HTTP_ECHO_HANDLER } from '../../examples/typescript/http-api-stack';
import { LocalHttpApi } from '../../local/http-api/gateway';
import { readHttpApis, type HttpApiDefinition } from '../../local/http-api/template';
import { FunctionRunner } from '../../local/lambda/function-runner';
import { Auth0ProtectedHttpApi, Auth0ProtectedHttpApiProps } from '../../src';
import { readAuthorizerAsset, keepForLint } from '../construct/synth';

export const HTTP_TEST_AUDIENCE = 'https://api.example.com';

// The example's own payload 2.0 echo backend: the route and what the authorizer passed on.
export { HTTP_ECHO_HANDLER };

export interface LocalHttpApiFixture {
  readonly jwks: JwksServer;
  readonly minter: TokenMinter;
  readonly authorizer: AuthorizerProcess;
  readonly api: HttpApiDefinition;
  readonly template: Record<string, unknown>;
  /** A fresh gateway (empty result cache) over the same template and authorizer process. */
  gateway(now?: () => number): LocalHttpApi;
  stop(): Promise<void>;
}

/** Synthesizes a stack whose routes `build` adds (with the echo backend), and serves it locally. */
export async function startLocalHttpApi(
  props: Partial<Auth0ProtectedHttpApiProps>,
  build: (api: Auth0ProtectedHttpApi, backend: HttpLambdaIntegration) => void,
): Promise<LocalHttpApiFixture> {
  const key = generateSigningKey('RS256');
  const jwks = await JwksServer.start(jwksOf(key));
  try {
    const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
    const stack = new Stack(app, 'HttpApiTest', { env: { account: '123456789012', region: 'us-east-1' } });
    const construct = new Auth0ProtectedHttpApi(stack, 'Api', { issuer: jwks.issuer, jwksUri: jwks.jwksUri, audience: HTTP_TEST_AUDIENCE, ...props });
    const echo = new LambdaFunction(stack, 'Echo', {
      runtime: Runtime.NODEJS_22_X, architecture: Architecture.ARM_64, handler: 'index.handler', code: Code.fromInline(HTTP_ECHO_HANDLER),
    });
    // CDK adds a DependsOn on the role that the role's GetAtt already implies; cfn-lint warns (W3005).
    (echo.node.defaultChild as CfnResource).addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
    build(construct, new HttpLambdaIntegration('Echo', echo));
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template as Record<string, unknown>;
    keepForLint(template);
    const { assetDir } = readAuthorizerAsset(Template.fromJSON(template), assembly.directory);
    const [api] = readHttpApis(template as never, assembly.directory);
    const authorizer = await AuthorizerProcess.startInDirectory(assetDir);
    const functions = new FunctionRunner();
    return {
      jwks,
      minter: new TokenMinter(jwks.issuer, HTTP_TEST_AUDIENCE, key),
      authorizer,
      api,
      template,
      gateway: (now) => new LocalHttpApi({
        api,
        now,
        functions,
        // The host passes any event through; the REST-typed signature is the only cast.
        invokeAuthorizer: (_a, event) => authorizer.invoke(event as unknown as APIGatewayRequestAuthorizerEvent),
      }),
      stop: async () => {
        await authorizer.stop();
        await functions.stop();
        await jwks.close();
      },
    };
  } catch (e) {
    await jwks.close();
    throw e;
  }
}

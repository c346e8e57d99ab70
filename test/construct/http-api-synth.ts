import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { keepForLint, readAuthorizerAsset } from './synth';
import { Auth0ProtectedHttpApi, Auth0ProtectedHttpApiProps } from '../../src';
import { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

export const HTTP_BASE_PROPS: Auth0ProtectedHttpApiProps = { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' };

let counter = 0;
/** A fresh HTTP proxy integration (each needs its own construct ID). */
export const url = () => new HttpUrlIntegration(`Url${counter++}`, 'https://backend.example.com/{proxy}');

export interface HttpSynthesized {
  readonly template: Template;
  readonly config: AuthorizerConfig;
  readonly api: Auth0ProtectedHttpApi;
  readonly stack: Stack;
}

export function newHttpApi(props: Partial<Auth0ProtectedHttpApiProps> = {}): { app: App; stack: Stack; api: Auth0ProtectedHttpApi } {
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const api = new Auth0ProtectedHttpApi(stack, 'Api', { ...HTTP_BASE_PROPS, ...props });
  return { app, stack, api };
}

/** Synthesizes an Auth0ProtectedHttpApi and reads the configuration shipped in its authorizer's asset. */
export function synthesizeHttp(
  props: Partial<Auth0ProtectedHttpApiProps> = {},
  build: (api: Auth0ProtectedHttpApi, stack: Stack) => void = (api) => { api.addRoute('GET /things', url()); },
): HttpSynthesized {
  const { app, stack, api } = newHttpApi(props);
  build(api, stack);
  const assembly = app.synth();
  const json = assembly.getStackByName(stack.stackName).template;
  keepForLint(json);
  const template = Template.fromJSON(json);
  return { template, api, stack, config: readAuthorizerAsset(template, assembly.directory).config };
}

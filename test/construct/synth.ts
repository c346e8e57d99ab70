import { createHash } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MockIntegration } from 'aws-cdk-lib/aws-apigateway';
import { Auth0ProtectedApi, Auth0ProtectedApiProps } from '../../src';
import { AUTHORIZER_CONFIG_FILE, AuthorizerConfig, parseAuthorizerConfig } from '../../src/authorizer/authorizer-config';

/** What a construct test looks at: the template and the configuration shipped in the authorizer's asset. */
export interface Synthesized {
  readonly template: Template;
  readonly config: AuthorizerConfig;
  /** The asset directory the authorizer function deploys. */
  readonly assetDir: string;
  readonly api: Auth0ProtectedApi;
  readonly stack: Stack;
}

export const BASE_PROPS: Auth0ProtectedApiProps = { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' };

export const integration = () => new MockIntegration();

/** A stack with one Auth0ProtectedApi; `build` adds routes. */
export function newApi(props: Partial<Auth0ProtectedApiProps> = {}): { app: App; stack: Stack; api: Auth0ProtectedApi } {
  // Asset metadata, as the CDK CLI enables it: it tells where each function's code asset lives.
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const api = new Auth0ProtectedApi(stack, 'Api', { ...BASE_PROPS, ...props });
  return { app, stack, api };
}

/** Synthesizes and reads the authorizer's configuration from the asset the template deploys. */
export function synthesize(props: Partial<Auth0ProtectedApiProps> = {}, build: (api: Auth0ProtectedApi) => void = (api) => {
  api.addRoute('GET /things', integration());
}): Synthesized {
  const { app, stack, api } = newApi(props);
  build(api);
  const assembly = app.synth();
  const json = assembly.getStackByName(stack.stackName).template;
  keepForLint(json);
  const template = Template.fromJSON(json);
  return { template, stack, api, ...readAuthorizerAsset(template, assembly.directory) };
}

/** Finds the authorizer function in a template and reads the configuration in its asset. */
export function readAuthorizerAsset(template: Template, assemblyDir: string): { config: AuthorizerConfig; assetDir: string } {
  const functions = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x' } });
  const withAsset = Object.values(functions).filter((f) => f.Metadata?.['aws:asset:path']);
  if (withAsset.length !== 1) throw new Error(`expected one authorizer function with an asset, found ${withAsset.length}`);
  const assetDir = join(assemblyDir, withAsset[0].Metadata['aws:asset:path']);
  return { config: parseAuthorizerConfig(readFileSync(join(assetDir, AUTHORIZER_CONFIG_FILE), 'utf8')), assetDir };
}

/**
 * CI lints every template the tests synthesize with cfn-lint: with CFN_LINT_DIR set, each one is
 * written there, named after its test.
 */
export function keepForLint(template: unknown): void {
  const dir = process.env.CFN_LINT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const name = expect.getState().currentTestName ?? 'template';
  const id = createHash('sha256').update(name).update(JSON.stringify(template)).digest('hex').slice(0, 12);
  writeFileSync(join(dir, `${name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80)}-${id}.template.json`), JSON.stringify(template, undefined, 1));
}

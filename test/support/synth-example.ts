/** Synthesizes the TypeScript example app (examples/typescript) for a given issuer, as `cdk synth` would. */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { ExampleStack } from '../../examples/typescript/example-stack';
import { readTemplateApi, type TemplateApi } from '../../local/rest-api/template-api';

export const EXAMPLE_AUDIENCE = 'https://api.example.com';
/** Every scope the example API's routes name. */
export const EXAMPLE_SCOPES = ['read:colors', 'write:colors', 'delete:colors', 'read:files'];

export interface SynthesizedExample {
  readonly template: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly assemblyDir: string;
  readonly api: TemplateApi;
  readonly stack: ExampleStack;
}

/** Synthesizes `ExampleStack` against `issuer` into `outdir` (default a new temporary directory). */
export function synthesizeExample(issuer: string, audience = EXAMPLE_AUDIENCE, outdir?: string): SynthesizedExample {
  // Asset metadata, as the CDK CLI enables it: it says which directory each function deploys.
  const app = new App({ outdir: outdir ?? mkdtempSync(join(tmpdir(), 'example-cdk-out-')), context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new ExampleStack(app, 'Auth0ProtectedApiExample', { issuer, audience });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template;
  return { template, assemblyDir: assembly.directory, api: readTemplateApi(template, assembly.directory), stack };
}

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

/**
 * The example's protected routes and the scopes each needs (requiredScopes read:colors plus its
 * own), written by hand from examples/typescript, the same for its REST and HTTP API stacks.
 */
export const EXAMPLE_PROTECTED_ROUTES: Record<string, string[]> = {
  'GET /colors': ['read:colors'],
  'GET /colors/{name}': ['read:colors'],
  'POST /colors': ['read:colors', 'write:colors'],
  'DELETE /colors/{name}': ['read:colors', 'delete:colors'],
  'ANY /files/{proxy+}': ['read:colors', 'read:files'],
};

/** Concrete requests on the example: every route, `ANY` with several methods, a deep greedy path. */
export const EXAMPLE_REQUESTS: readonly { route: string; method: string; path: string }[] = [
  { route: 'GET /health', method: 'GET', path: '/health' },
  { route: 'GET /colors', method: 'GET', path: '/colors' },
  { route: 'GET /colors/{name}', method: 'GET', path: '/colors/red' },
  { route: 'POST /colors', method: 'POST', path: '/colors' },
  { route: 'DELETE /colors/{name}', method: 'DELETE', path: '/colors/red' },
  { route: 'ANY /files/{proxy+}', method: 'GET', path: '/files/report.pdf' },
  { route: 'ANY /files/{proxy+}', method: 'PUT', path: '/files/a/b/c.txt' },
  { route: 'ANY /files/{proxy+}', method: 'DELETE', path: '/files/a' },
];

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

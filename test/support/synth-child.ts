/**
 * A separate process that synthesizes one stack with an Auth0ProtectedApi and exits, as `cdk synth`
 * runs an app: what the process leaves behind in its temporary directory is what the tests look at.
 *
 * Usage: ts-node test/support/synth-child.ts <outdir> [disable-staging]
 * Prints, as one JSON line, the assembly directory and the authorizer asset's `aws:asset:path`.
 */
import { App, Stack } from 'aws-cdk-lib';
import { MockIntegration } from 'aws-cdk-lib/aws-apigateway';
import { Auth0ProtectedApi } from '../../src';

const [outdir, mode] = process.argv.slice(2);
const context: Record<string, unknown> = { 'aws:cdk:enable-asset-metadata': true };
if (mode === 'disable-staging') context['aws:cdk:disable-asset-staging'] = true;
const app = new App({ outdir, context });
const stack = new Stack(app, 'ChildStack', { env: { account: '123456789012', region: 'us-east-1' } });
const api = new Auth0ProtectedApi(stack, 'Api', { domain: 'acme.us.auth0.com', audience: 'https://api.acme.com' });
api.addRoute('GET /things', new MockIntegration());
const assembly = app.synth();
type Resource = { Type: string; Metadata?: Record<string, string> };
const resources = Object.values(assembly.getStackByName(stack.stackName).template.Resources as Record<string, Resource>);
const authorizer = resources.find((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'] !== undefined);
process.stdout.write(`${JSON.stringify({ assemblyDir: assembly.directory, assetPath: authorizer?.Metadata?.['aws:asset:path'] })}\n`);

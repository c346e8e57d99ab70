import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { dpopFromEnvironment } from './dpop-from-environment';
import { ExampleStack } from './example-stack';
import { ExistingApiExampleStack } from './existing-api-stack';
import { HttpApiExampleStack } from './http-api-stack';
import { StandaloneAuthorizerExampleStack } from './standalone-authorizer-stack';

// `npm run example`: synthesizes the example API and prints its routes; `npx cdk deploy` in this
// folder deploys it (cdk.json). Point it at your tenant with AUTH0_DOMAIN and AUTH0_AUDIENCE, and at
// your browser app with ALLOWED_ORIGINS (comma-separated origins); DPOP=required (or allowed) turns
// DPoP on for the REST API, for the single-page app's useDpop.
// Under the CDK CLI, write where the CLI reads (it sets CDK_OUTDIR).
const outdir = process.env.CDK_OUTDIR ?? join(__dirname, 'cdk.out');
const app = new App({ outdir });
const dpop = dpopFromEnvironment('DPOP');
const stack = new ExampleStack(app, 'Auth0ProtectedApiExample', {
  domain: process.env.AUTH0_DOMAIN,
  audience: process.env.AUTH0_AUDIENCE,
  allowOrigins: process.env.ALLOWED_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean),
  dpop,
});
// The same API as an HTTP API (Auth0ProtectedHttpApi).
const httpStack = new HttpApiExampleStack(app, 'Auth0ProtectedHttpApiExample', {
  domain: process.env.AUTH0_DOMAIN,
  audience: process.env.AUTH0_AUDIENCE,
});
// The same API as a REST API you already have, handed over (restApi), and as an HTTP API whose
// routes use the authorizer alone (Auth0HttpAuthorizer).
const existingStack = new ExistingApiExampleStack(app, 'Auth0ExistingApiExample', {
  domain: process.env.AUTH0_DOMAIN,
  audience: process.env.AUTH0_AUDIENCE,
  allowOrigins: process.env.ALLOWED_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean),
});
const standaloneStack = new StandaloneAuthorizerExampleStack(app, 'Auth0StandaloneAuthorizerExample', {
  domain: process.env.AUTH0_DOMAIN,
  audience: process.env.AUTH0_AUDIENCE,
});
const assembly = app.synth();
const template = join(assembly.directory, assembly.getStackByName(stack.stackName).templateFile);

console.log(`CloudFormation template: ${template}`);
console.log(`Protected routes (Authorization: ${dpop === undefined ? 'Bearer <access token>' : `DPoP <access token> and a DPoP proof; dpop ${dpop}`}):`);
for (const route of stack.api.protectedRoutes) console.log(`  ${route}`);
console.log('Public routes:');
for (const route of stack.api.publicRoutes) console.log(`  ${route}`);
console.log(`HTTP API template: ${join(assembly.directory, assembly.getStackByName(httpStack.stackName).templateFile)}`);
console.log(`HTTP API protected routes: ${httpStack.api.protectedRoutes.join(', ')}; public: ${httpStack.api.publicRoutes.join(', ')}`);
console.log(`Existing REST API template: ${join(assembly.directory, assembly.getStackByName(existingStack.stackName).templateFile)}`);
console.log(`Existing REST API protected routes: ${existingStack.api.protectedRoutes.join(', ')}; public: ${existingStack.api.publicRoutes.join(', ')}`);
console.log(`Standalone authorizer (HTTP API) template: ${join(assembly.directory, assembly.getStackByName(standaloneStack.stackName).templateFile)}`);
console.log(`Standalone authorizer protected routes: ${standaloneStack.authorizer.protectedRoutes.join(', ')}`);

/**
 * Route tables as a standalone `Auth0RestAuthorizer` builds them: a real app whose methods use the
 * authorizer (or one of its `withScopes` variants), synthesized, and the configuration read back
 * from the authorizer's asset. Used by the policy property test.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { RouteSpec } from './route-requests';
import { Auth0RestAuthorizer } from '../../src';
import type { AuthorizerRoute, PolicyScope } from '../../src/authorizer/authorizer-config';
import { RouteTable } from '../../src/authorizer/route-table';
import { readAuthorizerAsset } from '../construct/synth';

/** The configured routes and policy scope, or undefined when no spec could be added. */
export function standaloneTable(specs: RouteSpec[]): { routes: AuthorizerRoute[]; scope: PolicyScope } | undefined {
  // The same refusals as API Gateway's (duplicates, two parameter names at one position), applied before building the app.
  const check = new RouteTable([]);
  const kept = specs.filter((spec) => {
    try {
      check.add(`${spec.method} ${spec.path}`, { requiredScopes: [], scopes: spec.scopes, corsPreflight: false });
      return true;
    } catch {
      return false;
    }
  });
  if (kept.length === 0) return undefined;
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
  const stack = new Stack(app, 'Standalone', { env: { account: '123456789012', region: 'us-east-1' } });
  const auth = new Auth0RestAuthorizer(stack, 'Auth', { issuer: 'https://issuer.example/', jwksUri: 'https://issuer.example/jwks.json', audience: 'https://api.example' });
  const api = new RestApi(stack, 'Api');
  for (const spec of kept) {
    const authorizer = spec.scopes.length > 0 ? auth.withScopes(...spec.scopes) : auth;
    api.root.resourceForPath(spec.path).addMethod(spec.method, new MockIntegration(), { authorizer });
  }
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  const { config } = readAuthorizerAsset(template, assembly.directory);
  return { routes: config.routes, scope: config.policyScope };
}

import { Stack } from 'aws-cdk-lib';
import { CfnMethod, Method } from 'aws-cdk-lib/aws-apigateway';

/**
 * The `OPTIONS` method CDK's `addCorsPreflight` adds to a resource with CORS options: a MOCK
 * integration that answers the preflight itself and never reaches a backend (the same test as
 * direct-methods.ts makes).
 */
export function isCorsPreflightMethod(method: Method): boolean {
  if (method.httpMethod !== 'OPTIONS' || method.node.id !== 'OPTIONS' || method.resource.defaultCorsPreflightOptions === undefined) return false;
  const integration = Stack.of(method).resolve((method.node.defaultChild as CfnMethod).integration) as { type?: string } | undefined;
  return integration?.type === 'MOCK';
}

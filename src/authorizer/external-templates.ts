import { CfnResource, NestedStack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { mentions } from './rendered-references';
import { renderedResourcesOfType } from './rendered-resources';

/**
 * A nested stack whose template is not part of the app (a `CfnStack` with a `TemplateURL`, a SAM
 * `AWS::Serverless::Application`) deploys whatever that template holds, and no check can read it.
 * Given the API's id it can add methods or routes to the API; given the authorizer function, an
 * authorizer or a permission that calls it. A `NestedStack` of the app is read like any stack (its
 * resources are constructs of the app), so only the others are refused when they receive one.
 */
const NESTED_TEMPLATE_TYPES = ['AWS::CloudFormation::Stack', 'AWS::Serverless::Application'];

/** What must not reach a template the app does not hold, named for messages. */
export interface GuardedResource {
  readonly resource: CfnResource;
  /** `'the API (restApi)'`, `'the authorizer function'` */
  readonly name: string;
}

/** One message per nested template outside the app that is given one of `guarded` (its id, ARN or name, however written). */
export function externalTemplateProblems(guarded: readonly GuardedResource[]): string[] {
  if (guarded.length === 0) return [];
  const root = guarded[0].resource.node.root;
  const appNested = new Set(root.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c)).map((n) => n.nestedStackResource));
  return NESTED_TEMPLATE_TYPES.flatMap((type) => renderedResourcesOfType(root, type))
    .filter((stack) => !appNested.has(stack.resource))
    .flatMap((stack) => guarded.filter((g) => mentions(stack.properties, stack.resource, g.resource)).map((g) =>
      `${stack.type} ${stack.resource.node.path} is given ${g.name} (${g.resource.node.path}), but its template is not part of this app: `
      + 'it could add methods, routes, authorizers or permissions that the checks of cdk-auth0-protected-api cannot read. '
      + 'Define what it deploys in this app (a NestedStack, or cloudformation-include\'s CfnInclude with loadNestedStacks), or do not pass it this value.'));
}

/** The construct's own resources that must not reach a template outside the app. */
export function guardedResources(api: IConstruct, apiProp: string, fn: IConstruct): GuardedResource[] {
  return [
    { resource: api.node.defaultChild as CfnResource, name: `the API (${apiProp})` },
    { resource: fn.node.defaultChild as CfnResource, name: 'the authorizer function' },
  ];
}

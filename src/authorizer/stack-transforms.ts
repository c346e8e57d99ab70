import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { elementFragments } from './rendered-resources';

/**
 * A stack's `Transform` section names macros that "can make more extensive transformations to the
 * entire template" before it deploys ("CloudFormation template Transform section",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-section-structure.html):
 * a macro of the account can add, remove or rewrite any method, route or authorizer, so what
 * deploys is not what the checks read. The transforms AWS publishes whose effect is known are
 * accepted: `AWS::Serverless-2016-10-31` expands only `AWS::Serverless::*` resources (their own
 * APIs), and `AWS::LanguageExtensions` evaluates intrinsic functions, which the checks already
 * treat as unknown values (an `AuthorizationType` that is not a literal reads as none).
 */
const KNOWN_TRANSFORMS = ['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions'];

/**
 * One message per transform, other than the known ones, of a stack that holds one of `resources`
 * (the API, its methods or routes, the authorizer function), nested stacks' parents included:
 * a parent's macro processes the template that embeds the nested stack's resource, not its body,
 * so only the stack that holds each resource counts.
 *
 * @param prop the construct's prop or name for the API, for messages
 */
export function stackTransformProblems(resources: readonly IConstruct[], prop: string): string[] {
  const stacks = [...new Set(resources.map((r) => Stack.of(r)))];
  return stacks.flatMap((stack) => {
    // `transform` (one name) is the deprecated form CDK still writes into the template; an element's
    // fragment (an included template's Transform section) is merged into it.
    const single = (stack.templateOptions as { transform?: string }).transform;
    const fromElements = elementFragments(stack).filter((f) => Stack.of(f.element) === stack).flatMap((f) => namesOf(f.fragment.Transform));
    const declared = [...stack.templateOptions.transforms ?? [], ...(single ? [single] : []), ...fromElements];
    return [...new Set(declared)].filter((name) => !KNOWN_TRANSFORMS.includes(name)).map((name) =>
      `${prop}: stack ${stack.node.path} declares the transform ${name}, a macro that rewrites the template at deployment, and holds resources of `
      + 'this construct\'s API or its authorizer function: the checks of cdk-auth0-protected-api cannot read what the macro deploys. '
      + 'Remove the transform from this stack, or move the API and its routes to a stack without it.');
  });
}

/** A Transform section's macro names: a name, a list of names, or `{ Name, Parameters }` (AWS::Include). */
function namesOf(section: unknown): string[] {
  if (section === undefined || section === null) return [];
  if (Array.isArray(section)) return section.flatMap(namesOf);
  if (typeof section === 'object') return namesOf((section as { Name?: unknown }).Name);
  return [String(section)];
}

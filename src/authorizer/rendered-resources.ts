import { CfnElement, CfnResource, DefaultTokenResolver, IFragmentConcatenator, IPostProcessor, IResolvable, IResolveContext, Reference, ResolutionTypeHint, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The rule the fail-closed checks follow: they judge each CloudFormation resource as
 * CloudFormation will deploy it, never an L1 object's typed properties. A resource is read
 * rendered, the way CDK itself writes it into the template (`_toCloudFormation()` resolved in its
 * stack): L1 property edits, `addPropertyOverride`/`addOverride` and generic
 * `new CfnResource(scope, id, { type })` resources of the same type all count, and it is read at
 * validation time, after every aspect and escape hatch has run. Every resource of a checked type
 * anywhere in the app (other stacks, nested stacks, imported copies of an API) is rendered once
 * per synthesis, and a method, route, authorizer or API that is not exactly what the library
 * created or accepted fails synthesis naming the resource and the fix.
 *
 * References are kept as CDK's reference tokens rather than resolved: a reference to another
 * stack's resource renders as `Fn::ImportValue`, a nested stack's as a parameter, and neither
 * says which resource it is. Kept as a token, "RestApiId is this API" and "AuthorizerUri calls
 * this function" are the same question in every stack (see api-references.ts).
 */

/** One CloudFormation resource as it will be deployed. */
export interface RenderedResource {
  /** The construct that writes it: an L1 of the type or a generic `CfnResource`. */
  readonly resource: CfnResource;
  /** Its rendered `Type` (`AWS::ApiGateway::Method`, ...): an `addOverride('Type', ...)` counts. */
  readonly type: string;
  /** Its `Properties`, overrides applied, references kept as CDK reference tokens (strings). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Top-level properties set by `addPropertyOverride`/`addOverride`, for messages. */
  readonly overridden: readonly string[];
}

/** A resource that could not be rendered: named rather than skipped, so nothing goes unchecked. */
export class UnrenderableResourceError extends Error {}

/** One synthesis's renderings: by type, and by resource (null: not deployed) for lookups while following references. */
interface Renderings {
  readonly byType: Map<string, RenderedResource[]>;
  readonly byResource: Map<CfnResource, RenderedResource | null>;
  /** Template fragments written by elements that are not CfnResources (see elementFragments). */
  fragments?: ElementFragment[];
}

/** What a `CfnElement` that is not a `CfnResource` writes into its stack's template. */
export interface ElementFragment {
  readonly element: CfnElement;
  readonly fragment: Readonly<Record<string, unknown>>;
}

const cache = new WeakMap<IConstruct, Renderings>();
const resetOnValidation = new WeakSet<IConstruct>();

/**
 * Every resource in the app `scope` belongs to that deploys as `type`, rendered. The type is read
 * as rendered too, so a resource of another type whose `Type` an override replaces counts, and it
 * is compared without regard to letter case, so a spelling CloudFormation might accept is not
 * missed. Rendered once per synthesis: the cache lives until the current synchronous run ends
 * (synthesis is synchronous) and is also dropped when the next validation of the app begins, so
 * edits between two `synth()` calls count.
 */
export function renderedResourcesOfType(scope: IConstruct, type: string): RenderedResource[] {
  const renderings = renderingsOf(scope.node.root);
  const wanted = type.toLowerCase();
  let rendered = renderings.byType.get(wanted);
  if (rendered === undefined) {
    refuseUnreadableResources(elementFragments(scope), wanted);
    rendered = scope.node.root.node.findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && (c.cfnResourceType.toLowerCase() === wanted || hasTypeOverride(c)))
      .map((c) => renderOnce(c, renderings))
      .filter((r): r is RenderedResource => r !== undefined && r.type.toLowerCase() === wanted);
    renderings.byType.set(wanted, rendered);
  }
  return rendered;
}

/**
 * Every fragment that elements other than CfnResources (outputs, parameters, conditions, an
 * included template's extra sections, a hand-written element) write into the app's templates,
 * once per synthesis: a stack's template is the merge of all its elements' fragments.
 */
export function elementFragments(scope: IConstruct): ElementFragment[] {
  const renderings = renderingsOf(scope.node.root);
  renderings.fragments ??= scope.node.root.node.findAll()
    .filter((c): c is CfnElement => CfnElement.isCfnElement(c) && !CfnResource.isCfnResource(c))
    .map((element) => ({ element, fragment: toCloudFormationOf(element) }));
  return renderings.fragments;
}

function toCloudFormationOf(element: CfnElement): Record<string, unknown> {
  return (element as unknown as { _toCloudFormation: () => Record<string, unknown> | undefined })._toCloudFormation() ?? {};
}

/**
 * A resource written into the template by an element that is not a CfnResource cannot be traced to
 * a construct or read as rendered: one of a checked type (or of a type that is not a literal) fails
 * synthesis rather than going unchecked.
 */
function refuseUnreadableResources(fragments: readonly ElementFragment[], wantedType: string): void {
  for (const { element, fragment } of fragments) {
    const resources = fragment.Resources;
    if (typeof resources !== 'object' || resources === null) continue;
    for (const [logicalId, definition] of Object.entries(resources)) {
      const type = (definition as { Type?: unknown } | null)?.Type;
      if (typeof type !== 'string' || type.toLowerCase() === wantedType) {
        throw new UnrenderableResourceError(`${element.node.path} writes the resource ${logicalId} (${typeof type === 'string' ? type : 'a Type that is not a literal'}) `
          + 'into the template without a CfnResource, so the checks of cdk-auth0-protected-api cannot read it. '
          + 'Create it as a CfnResource (new CfnResource(scope, id, { type, properties })).');
      }
    }
  }
}

/** The rendered form of one resource (from the same per-synthesis cache); undefined when it is not deployed. */
export function renderedResource(resource: CfnResource): RenderedResource | undefined {
  return renderOnce(resource, renderingsOf(resource.node.root));
}

function renderOnce(resource: CfnResource, renderings: Renderings): RenderedResource | undefined {
  let rendered = renderings.byResource.get(resource);
  if (rendered === undefined) {
    rendered = render(resource) ?? null;
    renderings.byResource.set(resource, rendered);
  }
  return rendered ?? undefined;
}

/** Whether an escape hatch replaces the resource's `Type` (`addOverride('Type', ...)`). */
function hasTypeOverride(resource: CfnResource): boolean {
  const rawOverrides = (resource as unknown as { rawOverrides?: object }).rawOverrides;
  return rawOverrides !== undefined && Object.keys(rawOverrides).some((key) => key.toLowerCase() === 'type');
}

function renderingsOf(root: IConstruct): Renderings {
  let renderings = cache.get(root);
  if (renderings === undefined) {
    renderings = { byType: new Map(), byResource: new Map() };
    cache.set(root, renderings);
    queueMicrotask(() => cache.delete(root));
    if (!resetOnValidation.has(root)) {
      resetOnValidation.add(root);
      // The root is validated first (validation walks the tree in pre-order).
      root.node.addValidation({ validate: () => { cache.delete(root); return []; } });
    }
  }
  return renderings;
}

function render(resource: CfnResource): RenderedResource | undefined {
  // `_toCloudFormation` is how CDK itself writes a resource into the template, overrides applied.
  // It is marked internal: a CDK version without it makes every checked resource fail rather
  // than pass unchecked.
  const toCloudFormation = (resource as unknown as { _toCloudFormation?: () => object })._toCloudFormation;
  if (typeof toCloudFormation !== 'function') {
    throw new UnrenderableResourceError(`${resource.node.path} (${resource.cfnResourceType}) cannot be rendered with this version of aws-cdk-lib, so the checks of cdk-auth0-protected-api cannot read it. Use a version of aws-cdk-lib this library supports.`);
  }
  const template = Tokenization.resolve(toCloudFormation.call(resource), {
    scope: Stack.of(resource),
    resolver: new ReferenceKeepingResolver(),
    preparing: false,
  }) as { Resources?: Record<string, { Properties?: Record<string, unknown> }> };
  const definitions = Object.values(template.Resources ?? {}) as Array<{ Type?: unknown; Properties?: Record<string, unknown> }>;
  if (definitions.length === 0) return undefined; // shouldSynthesize() said no: nothing is deployed.
  const definition = definitions[0];
  if (typeof definition.Type !== 'string') {
    throw new UnrenderableResourceError(`${resource.node.path} deploys with a Type that is not a literal string (${JSON.stringify(definition.Type)}), so the checks of cdk-auth0-protected-api cannot tell what it is. Remove the override of its Type.`);
  }
  // "AWS::Include ... inserts the contents of the specified file at the location of the transform
  // in the template" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-aws-include.html),
  // a macro's Fn::Transform returns whatever it likes, and a Fn::ForEach loop "can be used within
  // ... the resource properties" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html)
  // to write keys the template does not show: what deploys is not in the template.
  const rewriting = findKey(definition, (key) => key === 'Fn::Transform' || key.startsWith('Fn::ForEach'));
  if (rewriting !== undefined) {
    throw new UnrenderableResourceError(`${resource.node.path} (${definition.Type}) contains ${rewriting}, which rewrites part of it at deployment, `
      + 'so the checks of cdk-auth0-protected-api cannot read what it deploys as. Remove it and write the properties in the app.');
  }
  const rawOverrides = (resource as unknown as { rawOverrides?: { Properties?: object } }).rawOverrides;
  return {
    resource,
    type: definition.Type,
    properties: definition.Properties ?? {},
    overridden: Object.keys(rawOverrides?.Properties ?? {}),
  };
}

/** The first object key anywhere in `value` that `matches`. */
function findKey(value: unknown, matches: (key: string) => boolean): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findKey(v, matches);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const found = matches(key) ? key : findKey(v, matches);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Resolves everything as `stack.resolve` does (lazy values, intrinsics, overrides) except CDK
 * references, which stay the token strings CDK handed out, so they can be traced to their target.
 */
class ReferenceKeepingResolver extends DefaultTokenResolver {
  /** Inside a list token: resolved as in the template (see resolveToken). */
  private listDepth = 0;

  constructor() {
    super(JOIN_LIKE_CLOUDFORMATION);
  }

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): unknown {
    // Only references read as one string: a list or a number stands where CDK's property
    // validators expect one, so it resolves as in the template (no check asks what it refers to).
    const keep = t instanceof Reference && this.listDepth === 0
      && t.typeHint !== ResolutionTypeHint.STRING_LIST && t.typeHint !== ResolutionTypeHint.NUMBER;
    return keep ? Token.asString(t) : super.resolveToken(t, context, postProcessor);
  }

  public resolveList(xs: string[], context: IResolveContext): unknown {
    this.listDepth++;
    try {
      return super.resolveList(xs, context);
    } finally {
      this.listDepth--;
    }
  }
}

/** Joins string fragments as text, and anything else as `Fn::Join`, as CloudFormation would read it. */
const JOIN_LIKE_CLOUDFORMATION: IFragmentConcatenator = {
  join(left: unknown, right: unknown): unknown {
    if (left === undefined) return right;
    if (right === undefined) return left;
    if (typeof left === 'string' && typeof right === 'string') return left + right;
    return { 'Fn::Join': ['', [...joinParts(left), ...joinParts(right)]] };
  },
};

function joinParts(value: unknown): unknown[] {
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | null)?.['Fn::Join'];
  return Array.isArray(join) && join[0] === '' && Array.isArray(join[1]) ? join[1] : [value];
}

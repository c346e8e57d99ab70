import { CfnResource, DefaultTokenResolver, IFragmentConcatenator, IPostProcessor, IResolvable, IResolveContext, Reference, ResolutionTypeHint, Stack, Token, Tokenization } from 'aws-cdk-lib';
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
    rendered = scope.node.root.node.findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && (c.cfnResourceType.toLowerCase() === wanted || hasTypeOverride(c)))
      .map((c) => renderOnce(c, renderings))
      .filter((r): r is RenderedResource => r !== undefined && r.type.toLowerCase() === wanted);
    renderings.byType.set(wanted, rendered);
  }
  return rendered;
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

/**
 * Every CDK reference in a rendered value: `{ target, attribute }` for each `Ref` (`attribute`
 * `Ref`) or `Fn::GetAtt` that CDK wrote as a reference, wherever in the value (inside a
 * `Fn::Join`, a string, a list).
 */
export function referencesIn(value: unknown): Reference[] {
  const found: Reference[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const token of Tokenization.reverseString(v).tokens) if (token instanceof Reference) found.push(token);
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (typeof v === 'object' && v !== null) {
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return found;
}

/** The resource a rendered value refers to, when the value is exactly one CDK reference to a resource. */
export function referencedResource(value: unknown): CfnResource | undefined {
  if (typeof value !== 'string') return undefined;
  const fragments = Tokenization.reverseString(value);
  const token = fragments.length === 1 ? fragments.firstToken : undefined;
  return token instanceof Reference && CfnResource.isCfnResource(token.target) ? token.target : undefined;
}

/** Whether a rendered value is exactly one reference to `target` (any attribute, or one of `attributes`). */
export function isReferenceTo(value: unknown, target: IConstruct, attributes?: string[]): boolean {
  if (typeof value !== 'string') return false;
  const fragments = Tokenization.reverseString(value);
  const token = fragments.length === 1 ? fragments.firstToken : undefined;
  return token instanceof Reference && token.target === target && (attributes === undefined || attributes.includes(token.displayName));
}

/**
 * Whether a rendered value refers to `target` by one of `attributes` (`Ref`, or a `Fn::GetAtt`
 * attribute): a CDK reference, in any stack; or, in the target's own stack, a `Ref`/`Fn::GetAtt`
 * written by hand (an override) or by another copy of aws-cdk-lib, which names its logical ID.
 * Logical IDs are not compared across stacks: two stacks can hold different resources with the same one.
 */
export function refersTo(value: unknown, consumer: IConstruct, target: CfnResource, attributes: string[]): boolean {
  if (isReferenceTo(value, target, attributes)) return true;
  if (typeof value !== 'object' || value === null || Stack.of(consumer) !== Stack.of(target)) return false;
  const logicalId = Stack.of(target).resolve(target.logicalId);
  const written = value as { 'Ref'?: unknown; 'Fn::GetAtt'?: unknown };
  if (attributes.includes('Ref') && written.Ref === logicalId) return true;
  const getAtt = written['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt.length === 2 && getAtt[0] === logicalId && attributes.includes(getAtt[1]);
}

/**
 * Whether a rendered value can name `target` once deployed, however it is written: a CDK reference
 * to it anywhere in the value (alone, or inside `Fn::Join`, `Fn::Select`, `Fn::Sub`, a string), or,
 * in the target's own stack, a `Ref`, `Fn::GetAtt` or `Fn::Sub` placeholder of its logical ID written
 * by hand (an override) anywhere in it. For questions that must fail closed ("might this method be
 * the API's?", "might this authorizer call the library's function?"): a value that can name the
 * target is judged as naming it.
 */
export function mentions(value: unknown, consumer: IConstruct, target: CfnResource): boolean {
  if (referencesIn(value).some((r) => r.target === target)) return true;
  if (Stack.of(consumer) !== Stack.of(target)) return false;
  const logicalId = Stack.of(target).resolve(target.logicalId) as string;
  const isSubOf = (text: unknown) => typeof text === 'string'
    && [...text.matchAll(/\$\{([^}!][^}]*)\}/g)].some((m) => m[1].split('.')[0].trim() === logicalId);
  const visit = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.some(visit);
    if (typeof v !== 'object' || v === null) return false;
    return Object.entries(v).some(([key, x]) =>
      (key === 'Ref' && x === logicalId)
      || (key === 'Fn::GetAtt' && (Array.isArray(x) ? x[0] === logicalId : typeof x === 'string' && x.split('.')[0] === logicalId))
      || (key === 'Fn::Sub' && isSubOf(Array.isArray(x) ? x[0] : x))
      || visit(x));
  };
  return visit(value);
}

/** A rendered value as text for messages: references by the path of what they refer to. */
export function describeRendered(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'string') {
    const fragments = Tokenization.reverseString(value);
    if (fragments.length === 1 && fragments.firstToken instanceof Reference) {
      const ref = fragments.firstToken;
      return `(${ref.displayName} of ${ref.target.node.path})`;
    }
    return Token.isUnresolved(value) ? '(a value known at deployment)' : value;
  }
  return JSON.stringify(value);
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

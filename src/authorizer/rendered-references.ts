import { CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Reading what a rendered value (see rendered-resources.ts) names. References stay CDK's reference
 * tokens in a rendering, so "which resource is this?" is answered by the token's target, in any
 * stack; a `Ref`/`Fn::GetAtt`/`Fn::Sub` written by hand names a logical ID of the value's own stack.
 * Two questions, two answers: `refersTo` (exactly one reference to the target: for what must hold)
 * and `mentions` (the target named anywhere in the value: for what must fail closed).
 */

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

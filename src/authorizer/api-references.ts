import { CfnResource, Reference, Stack, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Finding every CloudFormation resource of one API, wherever in the app it was added: the API's
 * own stack, a nested stack, another stack, an imported copy of the API. Used by both constructs'
 * fail-closed checks (REST methods, HTTP API routes and stages).
 */

/** By resource type rather than `instanceof`: an app can load more than one copy of aws-cdk-lib. */
export function isCfnResourceOfType(construct: IConstruct, cfnResourceType: string): construct is CfnResource {
  return CfnResource.isCfnResource(construct) && construct.cfnResourceType === cfnResourceType;
}

/** The API a resource's API id property should refer to. */
export interface ApiReference {
  /** The API's id as CDK hands it out (`restApi.restApiId`, `httpApi.apiId`): a `Ref` token. */
  readonly apiId: string;
  /** The API's own `AWS::ApiGateway::RestApi` or `AWS::ApiGatewayV2::Api` resource. */
  readonly apiResource: IConstruct;
  /** The attribute `Fn::GetAtt` reads the same id with (`RestApiId`, `ApiId`). */
  readonly idAttribute: string;
}

/**
 * Whether `value`, the API id property of `consumer`, is this API.
 *
 * Before resolution, CDK encodes a reference as the same token string wherever it is used (a
 * consumer in another stack or a nested stack gets its `Fn::ImportValue` or parameter from the
 * reference only during synthesis), so string equality finds every use of the API's id, imported
 * copies included; a reference token to the API resource, `Ref` or `Fn::GetAtt` of its id
 * attribute, is the API wherever it is used. In the API's own stack, a `Ref` or `Fn::GetAtt`
 * written another way resolves to the same logical ID. Resolved values are not compared across
 * stacks: two stacks can hold different APIs with the same logical ID.
 */
export function refersToApi(value: unknown, consumer: IConstruct, api: ApiReference): boolean {
  if (value === api.apiId) return true;
  if (typeof value !== 'string') return false;
  const fragments = Tokenization.reverseString(value);
  const token = fragments.length === 1 ? fragments.firstToken : undefined;
  if (token instanceof Reference && token.target === api.apiResource && ['Ref', api.idAttribute].includes(token.displayName)) return true;
  const stack = Stack.of(api.apiResource);
  if (Stack.of(consumer) !== stack) return false;
  const own = logicalIdReferenced(resolveOrUndefined(stack, api.apiId), api.idAttribute);
  return own !== undefined && logicalIdReferenced(resolveOrUndefined(stack, value), api.idAttribute) === own;
}

/** Every resource of `cfnResourceType` in the app whose `idOf` property refers to the API. */
export function resourcesOfApi<T extends CfnResource>(api: ApiReference, cfnResourceType: string, idOf: (resource: T) => unknown): T[] {
  return api.apiResource.node.root.node.findAll()
    .filter((c): c is T => isCfnResourceOfType(c, cfnResourceType) && refersToApi(idOf(c as T), c, api));
}

/** `X` for `{ Ref: X }` and `{ 'Fn::GetAtt': [X, idAttribute] }`: both are the API's id. */
function logicalIdReferenced(resolved: unknown, idAttribute: string): string | undefined {
  if (typeof resolved !== 'object' || resolved === null) return undefined;
  const r = resolved as { 'Ref'?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof r.Ref === 'string') return r.Ref;
  const getAtt = r['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt.length === 2 && getAtt[1] === idAttribute && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

function resolveOrUndefined(stack: Stack, value: unknown): unknown {
  try {
    return stack.resolve(value);
  } catch {
    return undefined;
  }
}

import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { mentions } from './rendered-references';
import { RenderedResource, renderedResourcesOfType } from './rendered-resources';

/**
 * Finding every CloudFormation resource of one API, wherever in the app it was added: the API's
 * own stack, a nested stack, another stack, an imported copy of the API. Used by both constructs'
 * fail-closed checks (REST methods, HTTP API routes and stages), on resources as rendered.
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
  readonly apiResource: CfnResource;
  /** The attribute `Fn::GetAtt` reads the same id with (`RestApiId`, `ApiId`). */
  readonly idAttribute: string;
}

/**
 * Whether `value`, the API id property of `consumer` (typed or rendered), is this API, or can be
 * once deployed: judged as this API, so that no way of writing its id escapes the checks.
 *
 * Before resolution, CDK encodes a reference as the same token string wherever it is used (a
 * consumer in another stack or a nested stack gets its `Fn::ImportValue` or parameter from the
 * reference only during synthesis), so a reference token to the API resource is the API wherever
 * it is used, imported copies included; it counts inside `Fn::Join`, `Fn::Select` or `Fn::Sub` as
 * well. In the API's own stack, a `Ref`, `Fn::GetAtt` or `Fn::Sub` written another way names the
 * same logical ID (see `mentions`). A literal id or an `Fn::ImportValue` of a name cannot be tied to
 * the API.
 */
export function refersToApi(value: unknown, consumer: IConstruct, api: ApiReference): boolean {
  return value === api.apiId || mentions(value, consumer, api.apiResource);
}

/** Every resource of `cfnResourceType` in the app, rendered, whose `idProperty` (`RestApiId`, `ApiId`) refers to the API. */
export function renderedResourcesOfApi(api: ApiReference, cfnResourceType: string, idProperty: string): RenderedResource[] {
  return renderedResourcesOfType(api.apiResource, cfnResourceType).filter((r) => refersToApi(r.properties[idProperty], r.resource, api));
}


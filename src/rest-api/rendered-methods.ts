import { CfnResource, Token } from 'aws-cdk-lib';
import { CfnMethod, CfnRestApi, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { ApiReference, renderedResourcesOfApi } from '../authorizer/api-references';
import { isReferenceTo, referencedResource, refersTo } from '../authorizer/rendered-references';
import { RenderedResource, renderedResource } from '../authorizer/rendered-resources';
import { RenderedRoute } from '../authorizer/rendered-routes';

const RESOURCE_TYPE = 'AWS::ApiGateway::Resource';

/** The construct's REST API as the API id of its methods refers to it. */
export function restApiReference(api: RestApi): ApiReference {
  return { apiId: api.restApiId, apiResource: api.node.defaultChild as CfnRestApi, idAttribute: 'RestApiId' };
}

/**
 * Every `AWS::ApiGateway::Method` of `api` anywhere in the app (other stacks, nested stacks,
 * imported copies of the API, L1 and generic `CfnResource`s), as CloudFormation will deploy it:
 * the rendered `HttpMethod`, the path of its rendered resource chain, `AuthorizationType`,
 * `AuthorizerId`, and whether that is `authorizer` (the authorizer's `AWS::ApiGateway::Authorizer`
 * resource). A route table built from this list is built from what deploys.
 *
 * @param api a REST API created in this app (its `AWS::ApiGateway::RestApi` is its default child)
 * @param authorizer the `AWS::ApiGateway::Authorizer` to report `usesAuthorizer` for, if any
 */
export function renderedMethodsOf(api: RestApi, authorizer?: CfnResource): RenderedRoute[] {
  const reference = restApiReference(api);
  return renderedResourcesOfApi(reference, CfnMethod.CFN_RESOURCE_TYPE_NAME, 'RestApiId').map((rendered) => {
    const p = rendered.properties;
    const authorizationType = typeof p.AuthorizationType === 'string' ? p.AuthorizationType : 'NONE';
    const path = pathOf(p.ResourceId, rendered, api);
    const verb = typeof p.HttpMethod === 'string' ? p.HttpMethod : String(p.HttpMethod);
    const integration = p.Integration as { Type?: unknown } | undefined;
    return {
      resource: rendered.resource,
      type: rendered.type,
      route: `${verb} ${path ?? '(path not known)'}`,
      path,
      authorizationType,
      authorizerId: p.AuthorizerId,
      usesAuthorizer: authorizer !== undefined && authorizationType === 'CUSTOM'
        && refersTo(p.AuthorizerId, rendered.resource, authorizer, ['Ref', 'AuthorizerId']),
      integrationKind: integration === undefined ? 'NONE' : typeof integration.Type === 'string' ? integration.Type : 'UNKNOWN',
      overridden: rendered.overridden,
    };
  });
}

/**
 * `/admin/users` from the chain of rendered `AWS::ApiGateway::Resource` parents (their
 * `PathPart`s as deployed), or undefined where a link is not a reference CDK can follow.
 */
function pathOf(resourceId: unknown, consumer: RenderedResource, api: RestApi): string | undefined {
  const parts: string[] = [];
  let id = resourceId;
  // Bounded: a resource chain in one API cannot be longer than API Gateway's path limits; a cycle stops here.
  for (let depth = 0; depth < 128; depth++) {
    if (id === api.restApiRootResourceId || refersTo(id, consumer.resource, api.node.defaultChild as CfnRestApi, ['RootResourceId'])) {
      return `/${parts.reverse().join('/')}`;
    }
    const parent = referencedApiResource(id);
    const pathPart = parent?.properties.PathPart;
    if (parent === undefined || typeof pathPart !== 'string' || Token.isUnresolved(pathPart)) return undefined;
    parts.push(pathPart);
    id = parent.properties.ParentId;
  }
  return undefined;
}

/** The rendered `AWS::ApiGateway::Resource` an id refers to, when the id is exactly a CDK reference to one. */
function referencedApiResource(id: unknown): RenderedResource | undefined {
  const target = referencedResource(id);
  const rendered = target && isReferenceTo(id, target, ['Ref']) ? renderedResource(target) : undefined;
  return rendered?.type.toLowerCase() === RESOURCE_TYPE.toLowerCase() ? rendered : undefined;
}

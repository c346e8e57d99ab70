import { CfnResource } from 'aws-cdk-lib';
import { CfnApi, CfnIntegration, CfnRoute, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { ApiReference, renderedResourcesOfApi } from '../authorizer/api-references';
import { referencesIn, refersTo } from '../authorizer/rendered-references';
import { RenderedResource, renderedResource } from '../authorizer/rendered-resources';
import { RenderedRoute } from '../authorizer/rendered-routes';

/** The HTTP API as the API id of its routes, integrations and stages refers to it. */
export function httpApiReference(api: HttpApi): ApiReference {
  return { apiId: api.apiId, apiResource: api.node.defaultChild as CfnApi, idAttribute: 'ApiId' };
}

/**
 * Every `AWS::ApiGatewayV2::Route` of `api` anywhere in the app (other stacks, nested stacks,
 * imported copies, L1 and generic `CfnResource`s), as CloudFormation will deploy it: the rendered
 * `RouteKey`, `AuthorizationType`, `AuthorizerId`, whether that is `authorizer` (its
 * `AWS::ApiGatewayV2::Authorizer` resource), and the `IntegrationType` of the integration its
 * `Target` names. A route table built from this list is built from what deploys.
 *
 * @param api an HTTP API created in this app (its `AWS::ApiGatewayV2::Api` is its default child)
 * @param authorizer the `AWS::ApiGatewayV2::Authorizer` to report `usesAuthorizer` for, if any
 */
export function renderedRoutesOf(api: HttpApi, authorizer?: CfnResource): RenderedRoute[] {
  return renderedResourcesOfApi(httpApiReference(api), CfnRoute.CFN_RESOURCE_TYPE_NAME, 'ApiId').map((rendered) => {
    const p = rendered.properties;
    const authorizationType = typeof p.AuthorizationType === 'string' ? p.AuthorizationType : 'NONE';
    const integration = targetIntegration(p.Target);
    const integrationType = integration?.properties.IntegrationType;
    return {
      resource: rendered.resource,
      type: rendered.type,
      route: typeof p.RouteKey === 'string' ? p.RouteKey : String(p.RouteKey),
      authorizationType,
      authorizerId: p.AuthorizerId,
      usesAuthorizer: authorizer !== undefined && authorizationType === 'CUSTOM'
        && refersTo(p.AuthorizerId, rendered.resource, authorizer, ['Ref', 'AuthorizerId']),
      integrationKind: p.Target === undefined ? 'NONE' : typeof integrationType === 'string' ? integrationType : 'UNKNOWN',
      overridden: rendered.overridden,
    };
  });
}

/**
 * The rendered integration a route's `Target` (`integrations/<IntegrationId>`) names, when the id
 * is a CDK reference to an `AWS::ApiGatewayV2::Integration` of the app.
 */
export function targetIntegration(target: unknown): RenderedResource | undefined {
  if (typeof target !== 'string' || !target.startsWith('integrations/')) return undefined;
  const references = referencesIn(target);
  const integration = references.length === 1 ? references[0].target : undefined;
  const rendered = CfnResource.isCfnResource(integration) && target === `integrations/${references[0].toString()}` ? renderedResource(integration) : undefined;
  return rendered?.type.toLowerCase() === CfnIntegration.CFN_RESOURCE_TYPE_NAME.toLowerCase() ? rendered : undefined;
}

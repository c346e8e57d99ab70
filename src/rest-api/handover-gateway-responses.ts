import { CfnResource } from 'aws-cdk-lib';
import { CfnGatewayResponse, CorsOptions, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { authGatewayResponses } from './gateway-responses';
import { restApiReference } from './rendered-methods';
import { renderedResourcesOfApi } from '../authorizer/api-references';
import { DpopMode } from '../authorizer/dpop-mode';

/**
 * The constructs' 401/403 (and, with CORS, other error) responses on a handed-over REST API, or
 * on the API a standalone `Auth0RestAuthorizer` with `gatewayResponses` is used on.
 *
 * API Gateway keeps one response per type and API, so the construct adds each of its types the
 * owner has not defined. Where the owner has one of those types, it is kept if it carries what a
 * client relies on (`WWW-Authenticate` on 401/403, the CORS origin header when CORS is on);
 * otherwise synthesis fails naming the response and the header, rather than deploy a 401 a
 * browser cannot read or a client cannot tell from any other refusal.
 */
export function addHandoverGatewayResponses(api: RestApi, cors: CorsOptions | undefined, dpop: DpopMode, prop: string = 'restApi'): void {
  // Read as CloudFormation will deploy them (overrides and generic CfnResources included).
  const owners = new Map<string, { resource: CfnResource; headers: string[] }>();
  for (const r of renderedResourcesOfApi(restApiReference(api), CfnGatewayResponse.CFN_RESOURCE_TYPE_NAME, 'RestApiId')) {
    const parameters = r.properties.ResponseParameters;
    const headers = typeof parameters === 'object' && parameters !== null ? Object.keys(parameters).map((k) => k.toLowerCase()) : [];
    owners.set(String(r.properties.ResponseType), { resource: r.resource, headers });
  }
  const problems: string[] = [];
  for (const ours of authGatewayResponses(cors, dpop)) {
    const theirs = owners.get(ours.type.responseType);
    if (theirs === undefined) {
      api.addGatewayResponse(ours.id, { type: ours.type, responseHeaders: ours.headers, templates: ours.templates });
      continue;
    }
    const headers = theirs.headers;
    const missing = Object.keys(ours.headers).filter((h) => (h === 'WWW-Authenticate' || h === 'Access-Control-Allow-Origin')
      && !headers.includes(`gatewayresponse.header.${h.toLowerCase()}`));
    if (missing.length > 0) {
      problems.push(`${prop}: your gateway response ${ours.type.responseType} (${ownerPath(theirs.resource)}) has no ${missing.join(' or ')} header, which this library's `
        + `${ours.type.responseType} response carries. Remove yours (this library adds its own), or add ${missing.map((h) => `'${h}': ${ours.headers[h]}`).join(', ')} to its responseHeaders.`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

/** The L2 `GatewayResponse` the owner wrote, where there is one: the path they know. */
function ownerPath(cfn: CfnResource): string {
  const scope = cfn.node.scope;
  return scope !== undefined && scope.node.defaultChild === cfn ? scope.node.path : cfn.node.path;
}

import { IRestApi, RequestAuthorizer } from 'aws-cdk-lib/aws-apigateway';

/**
 * Binds a `RequestAuthorizer` to the REST API whose methods it protects. CDK does this itself in
 * `addMethod(..., { authorizer })`; a method this library takes over at synthesis, or one that
 * names a standalone authorizer through its `authorizerId`, never passes through that code, so
 * the binding (the authorizer's `RestApiId`, and CDK's own refusal of a second API) is done here
 * through the same internal method CDK calls.
 */
export function attachAuthorizer(authorizer: RequestAuthorizer, api: IRestApi): void {
  const attach = (authorizer as unknown as { _attachToApi?: (api: IRestApi) => void })._attachToApi;
  if (typeof attach !== 'function') {
    throw new Error('This version of aws-cdk-lib has no RequestAuthorizer._attachToApi; cdk-auth0-protected-api cannot bind its authorizer. Use the aws-cdk-lib version this library declares.');
  }
  attach.call(authorizer, api);
}

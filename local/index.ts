/**
 * The local API Gateway and stand-in issuer: what the `cdk-auth0-protected-api-local` command,
 * `npm run dev` and the end-to-end tests share. Nothing here imports from test/.
 */
export { LocalIssuer, LOCAL_CLIENT_SECRET, type LocalIssuerOptions, type ClientCredentialsRequest } from './issuer/local-issuer';
export { LOGIN_FIELDS } from './issuer/login-page';

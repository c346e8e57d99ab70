// What the app needs from your Auth0 tenant and your deployed API (README, "Single-page app").
// serve.ts writes this file's content itself when AUTH0_DOMAIN etc. are set, or from a test.
window.SPA_CONFIG = {
  // Applications → your Single Page Application → Settings → Domain.
  domain: 'example.us.auth0.com',
  // The same application's Client ID. Allowed Callback URLs, Logout URLs and Web Origins: this page's origin.
  clientId: 'your-spa-client-id',
  // Applications → APIs → your API → Identifier (the stack's AUTH0_AUDIENCE).
  audience: 'https://api.example.com',
  // The stack's ApiUrl output, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/prod/
  apiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/',
  // true: DPoP-bound tokens and a DPoP proof with every call. The API needs dpop ALLOWED or REQUIRED
  // (deploy the example with DPOP=required).
  useDpop: false,
};

import { urlProblem } from './authorizer-config';
import { requireLiteral, requireString, requireStringList } from './prop-validation';

/** Where tokens come from and where their signing keys are published. */
export interface IssuerSettings {
  /** Expected `iss`, exactly as the provider writes it. */
  readonly issuer: string;
  /** Further accepted `iss` values: `https://{domain}/` for each of `additionalDomains`. */
  readonly additionalIssuers: string[];
  /** The provider's JSON Web Key Set. */
  readonly jwksUri: string;
}

/** The props that decide the issuer. */
export interface IssuerProps {
  readonly domain?: string;
  readonly issuer?: string;
  readonly jwksUri?: string;
  readonly additionalDomains?: string[];
}

/**
 * Resolves the issuer and JWKS URI from an Auth0 `domain` (with or without `https://` and the
 * trailing slash) or an explicit `issuer`. Throws an Error naming the prop, the value and the fix.
 */
export function resolveIssuer(props: IssuerProps): IssuerSettings {
  requireString('domain', props.domain, false, 'Set domain to your Auth0 tenant domain, for example "acme.us.auth0.com".');
  requireString('issuer', props.issuer, false, 'Set issuer to the exact "iss" of your tokens, for example "https://login.example.com/".');
  requireString('jwksUri', props.jwksUri, false, 'Set jwksUri to the https URL of the issuer\'s key set, for example "https://acme.us.auth0.com/.well-known/jwks.json".');
  const fromDomain = props.domain === undefined ? undefined : issuerFromDomain(props.domain);
  let issuer: string;
  if (props.issuer !== undefined) {
    const problem = urlProblem(props.issuer);
    if (problem) {
      throw new Error(`issuer: ${JSON.stringify(props.issuer)} ${problem}. Give the issuer exactly as it appears in the tokens' "iss" claim, for example "https://login.example.com/".`);
    }
    refuseAuth0IssuerWithoutSlash(props.issuer, fromDomain);
    issuer = props.issuer;
  } else if (fromDomain !== undefined) {
    issuer = fromDomain;
  } else {
    throw new Error('domain: neither domain nor issuer is set. Set domain to your Auth0 tenant domain (for example "acme.us.auth0.com") or issuer to your OpenID Connect issuer URL.');
  }

  let jwksUri: string;
  if (props.jwksUri !== undefined) {
    const problem = urlProblem(props.jwksUri);
    if (problem) {
      throw new Error(`jwksUri: ${JSON.stringify(props.jwksUri)} ${problem}. Give the https URL of the issuer's JSON Web Key Set, for example "https://acme.us.auth0.com/.well-known/jwks.json".`);
    }
    jwksUri = props.jwksUri;
  } else {
    // Auth0 (and most OpenID providers) publish keys at this path below the issuer.
    jwksUri = `${(fromDomain ?? issuer).replace(/\/+$/, '')}/.well-known/jwks.json`;
  }
  return { issuer, jwksUri, additionalIssuers: additionalIssuersOf(props.additionalDomains, issuer) };
}

/** `https://{domain}/` for each additional domain, validated like `domain`; duplicates of the issuer refused. */
function additionalIssuersOf(domains: string[] | undefined, issuer: string): string[] {
  requireStringList('additionalDomains', domains);
  const issuers: string[] = [];
  for (const domain of domains ?? []) {
    requireLiteral('additionalDomains', domain);
    const extra = issuerFromDomain(domain, 'additionalDomains');
    if (extra === issuer || issuers.includes(extra)) {
      throw new Error(`additionalDomains: ${JSON.stringify(domain)} gives the issuer ${extra}, which is already accepted. Remove the duplicate entry.`);
    }
    issuers.push(extra);
  }
  return issuers;
}

/**
 * Auth0 writes `iss` as `https://{domain}/`, always with the trailing slash, and `iss` is compared
 * exactly: an Auth0 issuer (a `*.auth0.com` host, or the host of `domain`) without it would refuse
 * every real token, so it cannot be meant.
 */
function refuseAuth0IssuerWithoutSlash(issuer: string, fromDomain: string | undefined): void {
  const url = new URL(issuer);
  const isAuth0 = /\.auth0\.com$/i.test(url.hostname) || (fromDomain !== undefined && new URL(fromDomain).host === url.host);
  if (isAuth0 && url.pathname === '/' && !issuer.endsWith('/')) {
    throw new Error(`issuer: ${JSON.stringify(issuer)} has no trailing slash, but Auth0 writes "iss" as "${issuer}/" and it is compared exactly, so every token would be refused. Set issuer to "${issuer}/" (or leave it unset: domain gives it).`);
  }
  // The URL parser lowers the host; the issuer as written is what the authorizer compares.
  const origin = `${url.protocol}//${url.host}`;
  if (isAuth0 && !issuer.startsWith(origin)) {
    throw new Error(`issuer: ${JSON.stringify(issuer)} has capitals in its scheme or host, but Auth0 writes "iss" in lower case and it is compared exactly, so every token would be refused. Set issuer to "${origin}${url.pathname}" (or leave it unset: domain gives it).`);
  }
}

/** `acme.us.auth0.com` and `https://acme.us.auth0.com/` both give `https://acme.us.auth0.com/`. */
function issuerFromDomain(domain: string, prop = 'domain'): string {
  const hint = `Set ${prop} to the tenant host alone, for example "acme.us.auth0.com" (a custom domain such as "login.acme.com" works too); use issuer for an issuer URL with a path.`;
  if (domain.trim() === '') throw new Error(`${prop}: the value is empty. ${hint}`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(domain) ? domain : `https://${domain}`;
  const problem = urlProblem(withScheme);
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    url = undefined;
  }
  if (problem || url === undefined) throw new Error(`${prop}: ${JSON.stringify(domain)} ${problem ?? 'is not a host name'}. ${hint}`);
  if (/\s/.test(domain) || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')
    || withScheme.replace(/\/+$/, '').toLowerCase() !== `${url.protocol}//${url.host}`) {
    throw new Error(`${prop}: ${JSON.stringify(domain)} is not a bare host: it carries a path, query, credentials or spaces. ${hint}`);
  }
  return `${url.protocol}//${url.host}/`;
}

/** What the command prints once everything listens: issuer, APIs and their routes, how to get a token, curl lines. */
import { isAbsolute, relative } from 'path';
import type { LocalApi, RouteListing } from './api-kind';
import type { LocalIssuer } from './issuer/local-issuer';

export interface ServedApi {
  readonly api: LocalApi;
  readonly baseUrl: string;
}

/** A concrete path for a route: `{id}` → `1`, `{proxy+}` → `a/b`. */
export function examplePath(path: string): string {
  return path.replace(/\{[^}]+\+\}/g, 'a/b').replace(/\{[^}]+\}/g, '1');
}

function describe(access: RouteListing['access']): string {
  if ('public' in access) return 'public';
  if ('scopes' in access) return access.scopes.length === 0 ? 'any valid token' : `token with ${access.scopes.join(' ')}`;
  return `501, not run locally: ${access.notEmulated}`;
}

/** Relative to the app folder when inside it, else absolute (a synthesized app lives in a temporary folder). */
function shortPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

function rank(r: RouteListing): number {
  return (r.method === 'GET' ? 0 : 2) + (r.path.includes('+}') ? 1 : 0);
}

const tokenOf = (curl: string) => `$(${curl} | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`;

export function banner(issuer: LocalIssuer, served: ServedApi[], idleMinutes: number, cwd: string): string {
  const lines: string[] = [''];
  const deployed = [...new Set(served.flatMap((s) => s.api.authorizerConfigs.map((c) => c.issuer)))];
  lines.push(`Local issuer (stand-in for your Auth0 tenant): ${issuer.issuer}`);
  lines.push('  Authorizers run from a copy of their synthesized asset whose config.json has issuer and jwksUri replaced by this');
  lines.push(`  issuer (deployed configuration: ${deployed.join(', ')}; your cdk.out is not changed).`);
  for (const { api, baseUrl } of served) {
    const audience = api.authorizerConfigs[0]?.audience;
    lines.push('', `${api.kind} ${api.name}  ${baseUrl}`, `  template ${shortPath(cwd, api.stack.templateFile)}, audience ${audience}`);
    const routes = api.routes();
    const width = Math.max(...routes.map((r) => `${r.method} ${r.path}`.length), 10);
    for (const route of routes) lines.push(`  ${`${route.method} ${route.path}`.padEnd(width)}  ${describe(route.access)}`);
  }
  const first = served[0];
  if (first) {
    const routes = first.api.routes();
    const audience = first.api.authorizerConfigs[0].audience;
    const pub = routes.find((r) => 'public' in r.access && r.method === 'GET') ?? routes.find((r) => 'public' in r.access);
    const scoped = routes.filter((r): r is RouteListing & { access: { scopes: string[] } } => 'scopes' in r.access);
    // The plainest protected route for the example: GET without a greedy parameter if there is one.
    const target = [...scoped].sort((a, b) => rank(a) - rank(b))[0];
    const scopes = target?.access.scopes ?? [];
    const denied = scoped.find((r) => r.access.scopes.some((s) => !scopes.includes(s)));
    const url = (r: RouteListing) => `${r.method === 'GET' || r.method === 'ANY' ? '' : `-X ${r.method} `}${first.baseUrl}${examplePath(r.path)}`;
    lines.push('', 'Get a token (client credentials; ask for any scopes, add -d permissions=... or -d claims=\'{"https://example.com/roles":["admin"]}\'):');
    lines.push(`  TOKEN=${tokenOf(issuer.curlForToken(audience, scopes.join(' ')))}`);
    lines.push('', 'Then:');
    if (pub) lines.push(`  curl -i ${url(pub)}`);
    if (target) {
      lines.push(`  curl -i ${url(target)}                                    # 401: no token`);
      lines.push(`  curl -i -H "Authorization: Bearer $TOKEN" ${url(target)}`);
    }
    if (denied) {
      const lacking = denied.access.scopes.filter((s) => !scopes.includes(s));
      lines.push(`  curl -i -H "Authorization: Bearer $TOKEN" ${url(denied)}  # 403: the token lacks ${lacking.join(' ')}`);
    }
    lines.push('', `Browser sign-in (authorization code + PKCE, e.g. @auth0/auth0-spa-js): domain ${issuer.domain}, any client id,`);
    lines.push(`  authorizationParams.audience ${audience}; any user name signs in, no password.`);
  }
  lines.push('', `Ctrl-C stops everything; so do ${idleMinutes} minutes without a request (--idle-minutes).`, '');
  return lines.join('\n');
}

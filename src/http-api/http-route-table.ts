import { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpRouteThrottle } from './http-api-stage';
import { DEFAULT_ROUTE_KEY, isDefaultRouteKey, parseHttpRouteKey } from './http-route-key';
import { HttpAuthorizerRoute } from '../authorizer/authorizer-config';
import { requireStringList, validateScopes } from '../authorizer/prop-validation';
import { RouteTable } from '../authorizer/route-table';

/** What {@link HttpRouteTable.add} needs besides the route key. */
export interface HttpRouteOptions {
  readonly requiredScopes: string[];
  readonly scopes: string[];
  readonly throttle?: ThrottleSettings;
  /** Whether the API answers CORS preflight itself (then an `OPTIONS` route would take it over). */
  readonly corsPreflight: boolean;
}

interface DefaultRoute {
  readonly scopes: string[];
  readonly isPublic: boolean;
  readonly throttle?: ThrottleSettings;
}

/**
 * The routes of one HTTP API. `'METHOD /path'` routes go through the REST construct's
 * {@link RouteTable} (same parsing, same checks, same messages); the HTTP API's own catch-all
 * `$default` is checked here with the same rules.
 */
export class HttpRouteTable {
  private readonly table: RouteTable;
  private readonly defaultDeclaredPublic: boolean;
  private defaultRoute?: DefaultRoute;

  /** @param publicRoutes the `publicRoutes` prop */
  constructor(publicRoutes: string[]) {
    requireStringList('publicRoutes', publicRoutes);
    publicRoutes.forEach((r) => isDefaultRouteKey(r) || parseHttpRouteKey(r, 'publicRoutes'));
    this.defaultDeclaredPublic = publicRoutes.includes(DEFAULT_ROUTE_KEY);
    this.table = new RouteTable(publicRoutes.filter((r) => !isDefaultRouteKey(r)));
  }

  /** Checks and records a route; returns its canonical key and whether it is public. */
  public add(text: string, options: HttpRouteOptions): { routeKey: string; method?: string; path?: string; isPublic: boolean } {
    if (!isDefaultRouteKey(text)) {
      parseHttpRouteKey(text, 'addRoute');
      const { route, isPublic } = this.table.add(text, options);
      return { routeKey: route.key, method: route.method, path: route.path, isPublic };
    }
    if (this.defaultRoute) throw new Error(`addRoute: route "${DEFAULT_ROUTE_KEY}" is added twice. Add each route once.`);
    const routeScopes = validateScopes(`addRoute("${DEFAULT_ROUTE_KEY}").scopes`, options.scopes);
    const isPublic = this.defaultDeclaredPublic;
    if (isPublic && routeScopes.length > 0) {
      throw new Error(`addRoute: route "${DEFAULT_ROUTE_KEY}" is in publicRoutes but was given scopes ${JSON.stringify(routeScopes)}. A public route skips the authorizer; remove it from publicRoutes or drop its scopes.`);
    }
    const scopes = isPublic ? [] : [...new Set([...options.requiredScopes, ...routeScopes])].sort();
    this.defaultRoute = { scopes, isPublic, throttle: options.throttle };
    return { routeKey: DEFAULT_ROUTE_KEY, isPublic };
  }

  /** The route keys added so far, public or protected. */
  public keys(isPublic: boolean): string[] {
    const keys = this.table.keys(isPublic);
    return this.defaultRoute?.isPublic === isPublic ? [...keys, DEFAULT_ROUTE_KEY] : keys;
  }

  /** Whether a route with this key was added. */
  public has(routeKey: string): boolean {
    return this.keys(true).includes(routeKey) || this.keys(false).includes(routeKey);
  }

  /** The protected routes, as the authorizer's configuration lists them. */
  public authorizerRoutes(): HttpAuthorizerRoute[] {
    const routes = this.table.authorizerRoutes().map((r) => ({ routeKey: `${r.method} ${r.path}`, scopes: r.scopes }));
    if (this.defaultRoute && !this.defaultRoute.isPublic) routes.push({ routeKey: DEFAULT_ROUTE_KEY, scopes: this.defaultRoute.scopes });
    return routes;
  }

  /** Routes with their own throttling, by route key. */
  public throttles(): HttpRouteThrottle[] {
    const throttles = this.table.throttles().map((t) => ({ routeKey: `${t.method} ${t.path}`, throttle: t.throttle }));
    if (this.defaultRoute?.throttle) throttles.push({ routeKey: DEFAULT_ROUTE_KEY, throttle: this.defaultRoute.throttle });
    return throttles;
  }

  /** One message per `publicRoutes` entry that was never added. */
  public unaddedPublicRoutes(): string[] {
    const missing = this.table.unaddedPublicRoutes();
    if (this.defaultDeclaredPublic && !this.defaultRoute) {
      missing.push(`publicRoutes: "${DEFAULT_ROUTE_KEY}" is declared public but never added. Add it with addRoute("${DEFAULT_ROUTE_KEY}", integration) or remove it from publicRoutes.`);
    }
    return missing;
  }
}

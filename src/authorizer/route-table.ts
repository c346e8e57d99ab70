import { ThrottleSettings } from 'aws-cdk-lib/aws-apigateway';
import { AuthorizerRoute, PolicyScope } from './authorizer-config';
import { requireStringList, validateScopes } from './prop-validation';
import { choosePolicyScope, ParsedRoute, parseRoute, resourcePattern } from './routes';

// A policy resource ARN may be at most 512 characters; the ARN prefix takes up to about 110.
const MAX_ROUTE_PATH_LENGTH = 400;

/** What {@link RouteTable.add} needs besides the route text. */
export interface RouteOptions {
  /** The API's required scopes, added to every protected route. */
  readonly requiredScopes: string[];
  /** The route's own scopes. */
  readonly scopes: string[];
  readonly throttle?: ThrottleSettings;
  /** Whether CORS preflight `OPTIONS` methods are added for every resource. */
  readonly corsPreflight: boolean;
}

/** A route's own throttling, as a stage method setting. */
export interface RouteThrottle {
  readonly method: string;
  readonly path: string;
  readonly throttle: ThrottleSettings;
}

interface RouteEntry {
  readonly route: ParsedRoute;
  /** Every scope a token needs, sorted; empty for public routes. */
  readonly scopes: string[];
  readonly isPublic: boolean;
  readonly throttle?: ThrottleSettings;
}

/** Every route of one API, checked as it is added, and what the authorizer needs to know of them. */
export class RouteTable {
  private readonly declaredPublic: Map<string, string>;
  private readonly entries = new Map<string, RouteEntry>();
  private chosenScope?: PolicyScope;

  /** @param publicRoutes the `publicRoutes` prop */
  constructor(publicRoutes: string[]) {
    requireStringList('publicRoutes', publicRoutes);
    this.declaredPublic = new Map(publicRoutes.map((text) => [parseRoute(text, 'publicRoutes').key, text]));
  }

  /** Checks and records a route. Throws an Error naming the route and the fix. */
  public add(text: string, options: RouteOptions): { route: ParsedRoute; isPublic: boolean } {
    const route = parseRoute(text, 'addRoute');
    if (this.entries.has(route.key)) throw new Error(`addRoute: route "${route.key}" is added twice. Add each route once.`);
    if (route.path.length > MAX_ROUTE_PATH_LENGTH) {
      throw new Error(`addRoute: route "${route.key}" has a path longer than ${MAX_ROUTE_PATH_LENGTH} characters, which API Gateway policy ARNs cannot hold. Shorten the path.`);
    }
    if (route.method === 'OPTIONS' && options.corsPreflight) {
      throw new Error(`addRoute: route "${route.key}" collides with the CORS preflight that the cors prop adds. Remove the route or the cors prop.`);
    }
    this.checkSiblingParameters(route);
    const isPublic = this.declaredPublic.has(route.key);
    const routeScopes = validateScopes(`addRoute("${route.key}").scopes`, options.scopes);
    if (isPublic && routeScopes.length > 0) {
      throw new Error(`addRoute: route "${route.key}" is in publicRoutes but was given scopes ${JSON.stringify(routeScopes)}. A public route skips the authorizer; remove it from publicRoutes or drop its scopes.`);
    }
    const scopes = isPublic ? [] : [...new Set([...options.requiredScopes, ...routeScopes])].sort();
    this.entries.set(route.key, { route, scopes, isPublic, throttle: options.throttle });
    return { route, isPublic };
  }

  /** The routes added so far, as `'METHOD /path'`, public or protected. */
  public keys(isPublic: boolean): string[] {
    return [...this.entries.values()].filter((e) => e.isPublic === isPublic).map((e) => e.route.key);
  }

  /** The protected routes, as the authorizer's configuration lists them. */
  public authorizerRoutes(): AuthorizerRoute[] {
    return [...this.entries.values()]
      .filter((e) => !e.isPublic)
      .map((e) => ({ method: e.route.method, path: e.route.path, scopes: e.scopes, resourcePattern: resourcePattern(e.route) }));
  }

  /** See {@link choosePolicyScope}. Asked for only once the table is complete, so it is decided once. */
  public policyScope(): PolicyScope {
    this.chosenScope ??= choosePolicyScope(this.authorizerRoutes());
    return this.chosenScope;
  }

  /** Routes with their own throttling. */
  public throttles(): RouteThrottle[] {
    return [...this.entries.values()]
      .filter((e) => e.throttle !== undefined)
      .map((e) => ({ method: e.route.method, path: e.route.path, throttle: e.throttle! }));
  }

  /** One message per `publicRoutes` entry that was never added. */
  public unaddedPublicRoutes(): string[] {
    return [...this.declaredPublic.entries()]
      .filter(([key]) => !this.entries.has(key))
      .map(([, text]) => `publicRoutes: "${text}" is declared public but never added. Add it with addRoute("${text}", integration) or remove it from publicRoutes.`);
  }

  /** API Gateway refuses two differently named path parameters under one parent. */
  private checkSiblingParameters(route: ParsedRoute): void {
    const segments = route.path.split('/').slice(1);
    for (const other of this.entries.values()) {
      const theirs = other.route.path.split('/').slice(1);
      for (let i = 0; i < Math.min(segments.length, theirs.length); i++) {
        const mine = segments[i];
        const their = theirs[i];
        if (mine === their) continue;
        if (mine.startsWith('{') && their.startsWith('{')) {
          throw new Error(`addRoute: route "${route.key}" names the path parameter ${mine} where "${other.route.key}" names ${their}. `
            + 'API Gateway allows one parameter name per position under the same parent; use the same name in both routes.');
        }
        break;
      }
    }
  }
}

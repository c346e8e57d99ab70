import { AuthorizerRoute, PolicyScope, policyPatternsOf, ROUTE_METHODS } from './authorizer-config';
import { describeValue } from './prop-validation';

/** A route written as `'METHOD /path'`, parsed and checked. */
export interface ParsedRoute {
  /** `GET`, `POST`, ... or `ANY`. */
  readonly method: string;
  /** API Gateway resource path, `/` or `/a/{b}/{c+}`. */
  readonly path: string;
  /** The canonical text, `'METHOD /path'`: the route's identity. */
  readonly key: string;
}

const LITERAL_SEGMENT = /^[A-Za-z0-9._:$-]+$/;
const PARAMETER_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;
const ROUTE_FORMAT_HINT = "Write routes as 'METHOD /path', for example 'GET /items/{id}' or 'ANY /files/{proxy+}'";

/**
 * Parses `'GET /items/{id}'`. Throws an Error that names `prop`, shows the value and says the fix.
 */
export function parseRoute(route: string, prop: string): ParsedRoute {
  if (typeof route !== 'string') {
    throw new Error(`${prop}: route must be a string such as 'GET /items/{id}'; got ${describeValue(route)}. ${ROUTE_FORMAT_HINT}.`);
  }
  const fail = (why: string): never => {
    throw new Error(`${prop}: route ${JSON.stringify(route)} ${why}. ${ROUTE_FORMAT_HINT}.`);
  };
  const match = /^(\S+) (\S+)$/.exec(route);
  if (!match) fail('is not of the form \'METHOD /path\' (one method, one space, one path)');
  const [, method, path] = match!;
  if (!(ROUTE_METHODS as readonly string[]).includes(method)) {
    fail(`has an unknown method ${JSON.stringify(method)}; use one of ${ROUTE_METHODS.join(', ')} in capitals`);
  }
  if (!path.startsWith('/')) fail('has a path that does not start with /');
  if (path !== '/') {
    const segments = path.slice(1).split('/');
    const names = new Set<string>();
    segments.forEach((segment, i) => {
      if (segment === '') fail('has an empty path segment (a doubled or trailing /)');
      const parameter = PARAMETER_SEGMENT.exec(segment);
      if (parameter) {
        const [, name, greedy] = parameter;
        if (greedy && i !== segments.length - 1) fail(`has the greedy parameter ${segment} before the end of the path; it must be the last segment`);
        if (names.has(name)) fail(`uses the path parameter {${name}} twice`);
        names.add(name);
      } else if (segment.startsWith(':')) {
        fail(`has the Express-style parameter ${JSON.stringify(segment)}; write it as {${segment.slice(1)}}, the API Gateway form`);
      } else if (segment.includes('{') || segment.includes('}')) {
        fail(`has the malformed path parameter ${JSON.stringify(segment)}; a parameter is a whole segment such as {id} or {proxy+}`);
      } else if (!LITERAL_SEGMENT.test(segment)) {
        fail(`has the path segment ${JSON.stringify(segment)} with characters API Gateway does not allow (letters, digits and . _ - : $ only)`);
      }
    });
  }
  return { method, path, key: `${method} ${path}` };
}

/**
 * The route as an execute-api policy resource suffix. API Gateway matches the request's
 * `METHOD/path` against it; `*` matches any characters, `/` included, and `?` exactly one
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 * A path parameter is never empty, so it is written `?*`: `GET/colors/?*` does not match the
 * `GET/colors/` of a request routed to `/colors` with a trailing slash, which the policy allows by
 * its own suffix (`policyPatternsOf` in authorizer-config.ts).
 */
export function resourcePattern(route: ParsedRoute): string {
  const method = route.method === 'ANY' ? '*' : route.method;
  const path = route.path.replace(/\{[^}]+\}/g, '?*');
  return `${method}${path}`;
}

/**
 * Chooses how far one authorizer decision may reach.
 *
 * A policy that allows exactly the routes a token may call can be cached per token and reused on
 * every route, unless a policy pattern of some route X also matches a request routed to another
 * route Y that X's scopes do not cover: API Gateway's `*` crosses `/`, so `GET/items/?*` (for
 * `/items/{id}`) also matches `/items/7/secret`. Then a token allowed X would be let through to Y.
 * In that case each decision covers only its own route, and the construct adds the method and
 * resource path to the cache key.
 *
 * The requests routed to Y are read as broadly as API Gateway might write their method ARN: a
 * path parameter may hold `/` (a `%2F` decoded) or `%2F` kept, a trailing `/` may be kept, and
 * letters may be compared without case. Reading more requests can only choose `route` more often.
 */
export function choosePolicyScope(routes: AuthorizerRoute[]): PolicyScope {
  for (const x of routes) {
    for (const y of routes) {
      if (x === y || isSubset(y.scopes, x.scopes)) continue;
      if (policyPatternsOf(x).some((pattern) => patternMatchesSomeRequest(pattern, y))) return 'route';
    }
  }
  return 'api';
}

function isSubset(needles: string[], haystack: string[]): boolean {
  return needles.every((n) => haystack.includes(n));
}

/**
 * One step of a pattern: a literal character, or a character class taken exactly once
 * (`one`) or any number of times (`many`). `any` includes `/`; `segment` does not.
 */
type Atom = { kind: 'char'; c: string } | { kind: 'one' | 'many'; cls: 'any' | 'segment' };

/** The policy pattern: `*` is any run of characters, `/` included; `?` is one character. */
function policyAtoms(pattern: string): Atom[] {
  return [...pattern].map((c): Atom => (c === '*' ? { kind: 'many', cls: 'any' } : c === '?' ? { kind: 'one', cls: 'any' } : { kind: 'char', c }));
}

/**
 * Every method ARN suffix a request routed to this route might carry. A parameter is one or more
 * characters of any kind (a decoded `%2F` is a `/`); `{proxy+}` likewise.
 */
function requestAtoms(route: AuthorizerRoute, trailingSlash: boolean): Atom[] {
  const chars = (text: string): Atom[] => [...text].map((c) => ({ kind: 'char', c }));
  const oneOrMore = (cls: 'any' | 'segment'): Atom[] => [{ kind: 'one', cls }, { kind: 'many', cls }];
  const atoms: Atom[] = route.method === 'ANY' ? oneOrMore('segment') : chars(route.method);
  if (route.path === '/') return [...atoms, ...chars('/')];
  for (const segment of route.path.slice(1).split('/')) {
    atoms.push(...chars('/'));
    if (segment.startsWith('{')) atoms.push(...oneOrMore('any'));
    else atoms.push(...chars(segment));
  }
  return trailingSlash ? [...atoms, ...chars('/')] : atoms;
}

/** Whether the policy pattern matches at least one method ARN of a request routed to `route`, under any reading. */
export function patternMatchesSomeRequest(pattern: string, route: AuthorizerRoute): boolean {
  return [false, true].some((trailingSlash) => atomsIntersect(policyAtoms(pattern), requestAtoms(route, trailingSlash)));
}

/** Whether two atoms share a character; letters compare without case, as a lenient matcher might. */
function compatible(a: Atom, b: Atom): boolean {
  if (a.kind === 'char' && b.kind === 'char') return a.c.toLowerCase() === b.c.toLowerCase();
  if (a.kind === 'char') return b.kind !== 'char' && (b.cls === 'any' || a.c !== '/');
  if (b.kind === 'char') return a.cls === 'any' || b.c !== '/';
  return true; // two classes always share a character that is not '/'
}

/**
 * Whether some string matches both atom sequences. A repeated class may always match nothing,
 * so two repetitions never need to consume the same character: a shorter common string exists.
 */
function atomsIntersect(a: Atom[], b: Atom[]): boolean {
  const memo = new Map<number, boolean>();
  const meet = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result = false;
    if (i === a.length && j === b.length) {
      result = true;
    } else if (i < a.length && a[i].kind === 'many' && (meet(i + 1, j) || (j < b.length && b[j].kind !== 'many' && compatible(a[i], b[j]) && meet(i, j + 1)))) {
      result = true;
    } else if (j < b.length && b[j].kind === 'many' && (meet(i, j + 1) || (i < a.length && a[i].kind !== 'many' && compatible(a[i], b[j]) && meet(i + 1, j)))) {
      result = true;
    } else if (i < a.length && j < b.length && a[i].kind !== 'many' && b[j].kind !== 'many') {
      result = compatible(a[i], b[j]) && meet(i + 1, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return meet(0, 0);
}

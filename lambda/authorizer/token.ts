import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { Refusal } from './refusal';

/**
 * Longest Authorization header we look at. Real access tokens are 1-3 KiB; refusing larger input
 * before any decoding bounds the work an anonymous caller can make us do.
 */
export const MAX_AUTHORIZATION_LENGTH = 16 * 1024;

/** The scheme (`Bearer` or `DPoP`, any case), one or more spaces, then a JWS in compact form: three base64url segments. */
const SCHEME_JWS = /^(bearer|dpop) +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

/** The access token of a request and the scheme it came with. */
export interface Authorization {
  readonly scheme: 'Bearer' | 'DPoP';
  readonly token: string;
}

/**
 * The access token of a REQUEST authorizer event.
 *
 * The header name is matched case-insensitively. More than one Authorization value is refused:
 * which one a backend or a proxy would pick is ambiguous, and ambiguity is what smuggling needs.
 */
export function restAuthorization(event: APIGatewayRequestAuthorizerEvent): Authorization {
  const values = restHeaderValues(event, 'authorization');
  if (values.length > 1) throw new Refusal('malformed_token', 'more than one Authorization header');
  return authorizationOf(values[0]);
}

/** The access token in one Authorization header value (`undefined`: there was none). */
export function authorizationOf(value: string | undefined): Authorization {
  if (value === undefined) throw new Refusal('missing_token', 'no Authorization header');
  if (value.length > MAX_AUTHORIZATION_LENGTH) throw new Refusal('malformed_token', `Authorization header longer than ${MAX_AUTHORIZATION_LENGTH} characters`);
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new Refusal('missing_token', 'empty Authorization header');
  const match = SCHEME_JWS.exec(trimmed);
  if (!match) {
    const scheme = /^(bearer|dpop)(\s|$)/i.exec(trimmed);
    throw new Refusal('malformed_token', scheme
      ? `${scheme[1].toLowerCase() === 'dpop' ? 'DPoP' : 'bearer'} token is not a compact JWS`
      : 'Authorization scheme is not Bearer or DPoP');
  }
  return { scheme: match[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2] };
}

/**
 * Every value of one request header (`name` in lower case) of a REST event, as the client sent them.
 * `multiValueHeaders` holds every value; `headers` only the last one per name: a single-value view
 * that disagrees with a one-value multi view means two values arrived.
 */
export function restHeaderValues(event: APIGatewayRequestAuthorizerEvent, name: string): string[] {
  const multi = valuesNamed(event.multiValueHeaders, name);
  const single = valuesNamed(event.headers, name);
  if (multi.length === 0) return single;
  if (multi.length === 1 && single.some((v) => v !== multi[0])) return [...multi, ...single];
  return multi;
}

function valuesNamed(headers: Record<string, unknown> | null | undefined, name: string): string[] {
  if (typeof headers !== 'object' || headers === null) return [];
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined || value === null) continue;
    if (typeof value === 'string') {
      values.push(value);
    } else if (Array.isArray(value)) {
      for (const v of value) {
        if (typeof v !== 'string') throw new Refusal('invalid_request', `${headerLabel(name)} header value is not a string`);
        values.push(v);
      }
    } else {
      throw new Refusal('invalid_request', `${headerLabel(name)} header value is not a string`);
    }
  }
  return values;
}

/** JOSE header parameters that name or carry a key. The key always comes from the issuer's JWKS. */
const KEY_CARRYING_HEADERS = ['jwk', 'jku', 'x5u'];

/**
 * Checks the token's protected header before any key lookup, so a token that tries to bring its
 * own key, or names no key, never causes a JWKS fetch. `x5c` is not refused (some issuers add
 * it) but is never used: keys are looked up only by `kid` in the issuer's JWKS.
 */
export function checkProtectedHeader(token: string): void {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
  } catch {
    throw new Refusal('malformed_token', 'protected header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new Refusal('malformed_token', 'protected header is not a JSON object');
  }
  const h = header as Record<string, unknown>;
  const carried = KEY_CARRYING_HEADERS.filter((name) => Object.hasOwn(h, name));
  if (carried.length > 0) throw new Refusal('embedded_key', `token header carries ${carried.join(', ')}`);
  // Access tokens never use JWS extensions (RFC 8725 3.x): refuse `crit` and `b64` (RFC 7797) outright
  // rather than rely on `b64` being ignored when `crit` does not name it.
  if (Object.hasOwn(h, 'crit') || Object.hasOwn(h, 'b64')) throw new Refusal('malformed_token', 'token header uses crit or b64');
  if (typeof h.kid !== 'string' || h.kid.length === 0) throw new Refusal('missing_kid', 'token header names no kid');
}

/** A header's name as messages write it. */
export function headerLabel(name: string): string {
  return name === 'dpop' ? 'DPoP' : name === 'authorization' ? 'Authorization' : name;
}

/**
 * Authorization code with PKCE (RFC 6749 §4.1, RFC 7636) as the stand-in issuer runs it: the request
 * `/authorize` accepts, the sessions a login leaves (so `prompt=none` works), and single-use codes
 * bound to client, redirect URI and code challenge. PKCE with S256 is mandatory: a code without a
 * challenge could be redeemed by anyone who sees the redirect.
 */
import { createHash, randomBytes } from 'crypto';
import type { Claims } from './signing-key';
import { isLoopbackHost } from '../../src/authorizer/authorizer-config';

/** Codes are redeemed within seconds by a SPA; Auth0's live for 10 minutes at most. */
const CODE_LIFETIME_MS = 60_000;
const MAX_PENDING = 1_000;

/** What `/authorize` was asked for, validated. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: string[];
  readonly state?: string;
  readonly nonce?: string;
  readonly audience?: string;
  readonly codeChallenge: string;
  readonly responseMode: 'query' | 'fragment' | 'web_message';
  readonly prompt?: string;
}

/** Who signed in. */
export interface LocalUser {
  readonly username: string;
  readonly permissions: string[];
  readonly customClaims: Claims;
  readonly authTime: number;
}

export interface IssuedCode {
  readonly request: AuthorizationRequest;
  readonly user: LocalUser;
  readonly expiresAt: number;
}

/** What a client_id may hold: what Auth0's look like and more, nothing that could disturb a log line or a page. */
export const CLIENT_ID_CHARACTERS = 'letters, digits and . _ - @ + :';

export function isSafeClientId(clientId: string): boolean {
  return /^[\w.@+:-]{1,128}$/.test(clientId);
}

/** A request `/authorize` must refuse without redirecting: the redirect target itself is in doubt. */
export class UnsafeAuthorizationRequest extends Error {}

/** An OAuth error to send back to the redirect URI. */
export interface AuthorizationError {
  readonly error: string;
  readonly description: string;
  readonly redirectUri: string;
  readonly state?: string;
  readonly responseMode: string;
}

/** Parses `/authorize` parameters; throws {@link UnsafeAuthorizationRequest} or returns an OAuth error to redirect with. */
export function parseAuthorizationRequest(params: Record<string, string>): AuthorizationRequest | AuthorizationError {
  const clientId = params.client_id;
  if (!clientId) throw new UnsafeAuthorizationRequest('client_id is required');
  if (!isSafeClientId(clientId)) throw new UnsafeAuthorizationRequest(`client_id must be 1 to 128 of ${CLIENT_ID_CHARACTERS}`);
  const redirectUri = params.redirect_uri;
  if (!redirectUri) throw new UnsafeAuthorizationRequest('redirect_uri is required');
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    throw new UnsafeAuthorizationRequest(`redirect_uri ${redirectUri} is not an absolute URL`);
  }
  // The local issuer only ever sends codes to this machine.
  if (!['http:', 'https:'].includes(target.protocol) || !isLoopbackHost(target.hostname)) {
    throw new UnsafeAuthorizationRequest(`redirect_uri ${redirectUri} is not on 127.0.0.1 or localhost; the local issuer redirects only there`);
  }
  const responseMode = params.response_mode ?? 'query';
  const fail = (error: string, description: string) => ({ error, description, redirectUri, state: params.state, responseMode });
  if (!['query', 'fragment', 'web_message'].includes(responseMode)) return fail('invalid_request', `response_mode ${responseMode} is not supported (query, fragment, web_message)`);
  if (params.response_type !== 'code') return fail('unsupported_response_type', `response_type must be code, got ${params.response_type ?? 'nothing'}`);
  if (!params.code_challenge) return fail('invalid_request', 'code_challenge is required: this issuer accepts authorization codes with PKCE only');
  if ((params.code_challenge_method ?? 'plain') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
  return {
    clientId,
    redirectUri,
    scopes: [...new Set((params.scope ?? 'openid').split(' ').filter(Boolean))],
    state: params.state,
    nonce: params.nonce,
    audience: params.audience,
    codeChallenge: params.code_challenge,
    responseMode: responseMode as AuthorizationRequest['responseMode'],
    prompt: params.prompt,
  };
}

/** BASE64URL(SHA256(verifier)), RFC 7636 §4.6. */
export function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Sessions and pending codes, in memory: a restart signs everybody out. */
export class AuthorizationStore {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly sessions = new Map<string, LocalUser>();

  public constructor(private readonly now: () => number = Date.now) {}

  public startSession(user: LocalUser): string {
    const id = randomBytes(18).toString('base64url');
    this.sessions.set(id, user);
    return id;
  }

  public session(id: string | undefined): LocalUser | undefined {
    return id === undefined ? undefined : this.sessions.get(id);
  }

  public endSession(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }

  public issueCode(request: AuthorizationRequest, user: LocalUser): string {
    const now = this.now();
    for (const [code, issued] of this.codes) if (issued.expiresAt <= now) this.codes.delete(code);
    if (this.codes.size >= MAX_PENDING) throw new Error('too many unredeemed authorization codes');
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { request, user, expiresAt: now + CODE_LIFETIME_MS });
    return code;
  }

  /** Redeems a code once; returns why not when it cannot. */
  public redeem(code: string, clientId: string, redirectUri: string | undefined, verifier: string | undefined): IssuedCode | string {
    const issued = this.codes.get(code);
    // Single use, whatever happens next (RFC 6749 §4.1.2).
    this.codes.delete(code);
    if (!issued || issued.expiresAt <= this.now()) return 'the authorization code is unknown, used or expired';
    if (issued.request.clientId !== clientId) return 'the authorization code was issued to another client';
    if (redirectUri !== undefined && issued.request.redirectUri !== redirectUri) return 'redirect_uri differs from the one the code was issued for';
    if (!verifier || challengeOf(verifier) !== issued.request.codeChallenge) return 'code_verifier does not match the code_challenge';
    return issued;
  }
}

/**
 * One loopback issuer (JWKS server + token minter) and one authorizer process over the shipped
 * bundle: what most authorizer tests need, started once per describe block.
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { requestEvent, statusFor, type RequestOptions } from './api-gateway';
import { testConfig, TEST_AUDIENCE } from './authorizer-config';
import { AuthorizerProcess, type InvocationOutcome, type StartOptions } from './authorizer-process';
import { JwksServer } from './jwks-server';
import { generateSigningKey, jwksOf, TokenMinter, type SigningKey } from './tokens';
import type { AuthorizerConfig } from '../../src/authorizer/authorizer-config';

export interface Call {
  readonly status: 200 | 401 | 403 | 500;
  readonly outcome: InvocationOutcome;
  /** The result when the handler resolved. */
  readonly result?: APIGatewayAuthorizerResult;
}

export class AuthorizerFixture {
  /**
   * Starts a JWKS server with one RS256 key (plus `alsoPublished`, e.g. a weak or EC key), and the
   * bundle configured for it (plus `overrides`).
   */
  public static async start(
    overrides: Partial<AuthorizerConfig> = {},
    options: StartOptions = {},
    alsoPublished: SigningKey[] = [],
  ): Promise<AuthorizerFixture> {
    const key = generateSigningKey('RS256');
    const jwks = await JwksServer.start(jwksOf(key, ...alsoPublished));
    try {
      const config = testConfig(jwks, overrides);
      const authorizer = await AuthorizerProcess.start(config, options);
      return new AuthorizerFixture(jwks, new TokenMinter(jwks.issuer, TEST_AUDIENCE, key), authorizer, config);
    } catch (e) {
      await jwks.close();
      throw e;
    }
  }

  private constructor(
    public readonly jwks: JwksServer,
    public readonly minter: TokenMinter,
    public readonly authorizer: AuthorizerProcess,
    public readonly config: AuthorizerConfig,
  ) {}

  /** Invokes the authorizer as API Gateway would for this request, and says what the client gets. */
  public async call(options: RequestOptions = {}): Promise<Call> {
    const event = requestEvent(options);
    const outcome = await this.authorizer.invoke(event);
    return { status: statusFor(outcome, event.methodArn), outcome, result: 'ok' in outcome ? outcome.ok : undefined };
  }

  /** The last refusal log line since output was last cleared. */
  public lastRefusal(): Record<string, unknown> | undefined {
    return this.authorizer.logLines().filter(isRefusal).pop();
  }

  public async stop(): Promise<void> {
    await this.authorizer.stop();
    await this.jwks.close();
  }
}

/** Whether a log event is the one line a refused request writes (it has the HTTP status). */
export function isRefusal(line: Record<string, unknown>): boolean {
  return line.event === 'request refused';
}

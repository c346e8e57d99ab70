import { CfnResource, Duration, IAspect } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { validateMemorySize } from './prop-validation';

/**
 * How the authorizer fetches and keeps the issuer's key set: the same for both constructs, so both
 * kinds of API behave alike when the issuer rotates keys or is down.
 */
export const JWKS_SETTINGS = {
  jwksTimeoutMs: 2_000,
  // A newly published key is picked up on first sight once 10 s have passed since the last fetch.
  jwksCooldownMs: 10_000,
  jwksCacheMaxAgeMs: 600_000,
  // An issuer outage of up to 12 h (from the last good fetch) does not refuse valid tokens.
  jwksStaleMaxAgeMs: 12 * 3_600_000,
} as const;

/** What the constructs and authorizers decide about their authorizer function. */
export interface AuthorizerFunctionOptions {
  readonly code: Code;
  readonly issuer: string;
  readonly audience: string;
  /** The `authorizerMemorySize` prop as given: checked here, 256 MB when unset. */
  readonly memorySize: number | undefined;
  readonly tracing: boolean;
}

/**
 * The authorizer function with its own role and its own log group, created directly under `scope`
 * with the construct IDs `AuthorizerLogs`, `AuthorizerRole` and `Authorizer` (construct IDs are API:
 * both constructs keep these).
 */
export function createAuthorizerFunction(scope: Construct, options: AuthorizerFunctionOptions): { fn: LambdaFunction; logGroup: LogGroup } {
  const logGroup = new LogGroup(scope, 'AuthorizerLogs', { retention: RetentionDays.ONE_YEAR });
  // Its own role, allowed to write to its own log group and nothing else.
  const role = new Role(scope, 'AuthorizerRole', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: 'Lets the Auth0 authorizer write its logs, and nothing else',
  });
  logGroup.grantWrite(role);
  const fn = new LambdaFunction(scope, 'Authorizer', {
    description: `Verifies access tokens from ${options.issuer} for ${options.audience}`,
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    handler: 'index.handler',
    code: options.code,
    role,
    // RSA verification is CPU-bound and Lambda grants CPU in proportion to memory.
    memorySize: validateMemorySize(options.memorySize ?? 256),
    // Well above the JWKS fetch timeout (2 s), well below API Gateway's 29 s limit.
    timeout: Duration.seconds(10),
    loggingFormat: LoggingFormat.JSON,
    logGroup,
    tracing: options.tracing ? Tracing.ACTIVE : undefined,
  });
  return { fn, logGroup };
}

/** Runs `stage` once the construct tree is complete, before synthesis. */
export class StageAuthorizerAspect implements IAspect {
  constructor(private readonly owner: IConstruct, private readonly stage: () => void) {}

  public visit(node: IConstruct): void {
    if (node === this.owner) this.stage();
  }
}

/**
 * CDK makes a function depend on its role, which its `Role: !GetAtt` already implies (cfn-lint
 * W3005). Only the role's policy needs an explicit dependency: the function must not start
 * before it may write logs.
 */
export function dependOnPolicyOnly(fn: LambdaFunction): void {
  const policy = fn.role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
  if (policy instanceof CfnResource) {
    (fn.node.defaultChild as CfnResource).addOverride('DependsOn', [policy.logicalId]);
  }
}

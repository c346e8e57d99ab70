import { FeatureFlags, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { CfnAccount, RestApi, RestApiProps } from 'aws-cdk-lib/aws-apigateway';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { APIGATEWAY_DISABLE_CLOUDWATCH_ROLE } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { suppress } from '../authorizer/nag-metadata';

/*
 * A REST stage that writes access logs or execution logs to CloudWatch Logs deploys only once the
 * region's API Gateway account setting names a role API Gateway can assume ("To enable CloudWatch
 * Logs, you must grant API Gateway permission to read and write logs to CloudWatch for your account",
 * for both kinds of log: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
 * HTTP APIs need no such role (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html).
 *
 * aws-cdk-lib's RestApi creates a role and an AWS::ApiGateway::Account per API unless the app sets
 * `@aws-cdk/aws-apigateway:disableCloudWatchRole`, which every `cdk init` app does; then nothing
 * creates it and the first deploy fails in an account that never set one. The setting is one per
 * account and region ("you should only have one AWS::ApiGateway::Account resource per region per
 * account": https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-account.html),
 * so under that flag this library creates one per app and environment, in the first stack that needs
 * it; later stacks of the same environment deploy after that stack instead of writing the setting
 * again. Role and setting are retained, as aws-cdk-lib's own (`cloudWatchRoleRemovalPolicy`), so
 * that deleting a stack never leaves the region pointing at a deleted role.
 */

/** The IDs of the shared role and account setting, directly under the stack that holds them. */
export const SHARED_CLOUDWATCH_ROLE_ID = 'Auth0ProtectedApiCloudWatchRole';
export const SHARED_CLOUDWATCH_ACCOUNT_ID = 'Auth0ProtectedApiCloudWatchAccount';

/** Per app: the account setting each environment's stages wait for. */
const accountsByApp = new WeakMap<IConstruct, Map<string, CfnAccount>>();

/**
 * Makes sure the region's API Gateway account setting has a CloudWatch role before `api`'s stage
 * deploys: aws-cdk-lib's own when the app lets RestApi create it or `restApiProps.cloudWatchRole` is
 * true, none when it is false (the account already has one), otherwise the app's shared one.
 */
export function ensureCloudWatchRole(api: RestApi, restApiProps: RestApiProps | undefined): void {
  if (restApiProps?.cloudWatchRole !== undefined) return;
  if (!FeatureFlags.of(api).isEnabled(APIGATEWAY_DISABLE_CLOUDWATCH_ROLE)) return;
  const stage = api.deploymentStage;
  const stack = Stack.of(stage);
  const account = sharedAccount(stack);
  const owner = Stack.of(account);
  if (owner === stack) {
    stage.node.addDependency(account);
  } else {
    stack.addDependency(owner, 'the API Gateway account setting (CloudWatch role) its REST stages need is created there');
  }
}

/** The app's account setting for `stack`'s environment, created in `stack` when it is the first. */
function sharedAccount(stack: Stack): CfnAccount {
  const root = stack.node.root;
  const accounts = accountsByApp.get(root) ?? new Map<string, CfnAccount>();
  accountsByApp.set(root, accounts);
  const key = environmentKey(stack);
  const existing = accounts.get(key);
  if (existing) return existing;

  const role = new Role(stack, SHARED_CLOUDWATCH_ROLE_ID, {
    assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
    managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    description: 'API Gateway writes REST API access and execution logs to CloudWatch Logs with this role (account setting, one per region)',
  });
  role.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const account = new CfnAccount(stack, SHARED_CLOUDWATCH_ACCOUNT_ID, { cloudWatchRoleArn: role.roleArn });
  account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  suppress(role, [{
    id: 'AwsSolutions-IAM4',
    reason: 'API Gateway writes access and execution logs through this account-level role; AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for it.',
    applies_to: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'],
  }]);
  accounts.set(key, account);
  return account;
}

/**
 * Stacks deployed to the same account and region share one setting. An environment-agnostic stack's
 * account and region are deploy-time values; such stacks count as one environment, as they deploy
 * wherever the CLI points, normally the same place.
 */
function environmentKey(stack: Stack): string {
  const part = (value: string) => (Token.isUnresolved(value) ? '(deploy-time)' : value);
  return `${part(stack.account)}/${part(stack.region)}`;
}

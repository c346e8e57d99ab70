import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MockIntegration } from 'aws-cdk-lib/aws-apigateway';
import { BASE_PROPS, keepForLint } from './synth';
import { Auth0ProtectedApi, Auth0ProtectedApiProps } from '../../src';

// `cdk init` writes this flag into every new app's cdk.json; without it aws-cdk-lib's RestApi creates
// its own role per API. A REST stage that writes access or execution logs fails to deploy in a region
// whose API Gateway account setting has no CloudWatch role, so under both values exactly one role and
// account setting must exist, and the stage must come after it.
const DISABLE_ROLE_FLAG = '@aws-cdk/aws-apigateway:disableCloudWatchRole';
const env = { account: '123456789012', region: 'us-east-1' };

function appWithFlag(disableCloudWatchRole: boolean): App {
  return new App({ context: { [DISABLE_ROLE_FLAG]: disableCloudWatchRole } });
}

function addApi(stack: Stack, id: string, props: Partial<Auth0ProtectedApiProps> = {}): Auth0ProtectedApi {
  const api = new Auth0ProtectedApi(stack, id, { ...BASE_PROPS, ...props });
  api.addRoute('GET /things', new MockIntegration());
  return api;
}

function templateOf(app: App, stack: Stack): Template {
  const json = app.synth().getStackByName(stack.stackName).template;
  keepForLint(json);
  return Template.fromJSON(json);
}

/** The DependsOn list of each stage of a template. */
function stageDependencies(template: Template): string[][] {
  return Object.values(template.findResources('AWS::ApiGateway::Stage')).map((stage) => stage.DependsOn ?? []);
}

describe.each([false, true])('API Gateway CloudWatch role, disableCloudWatchRole = %s', (disableCloudWatchRole) => {
  test('one stack with one API: one retained role with the AWS-managed push policy, one account setting, the stage after it', () => {
    const app = appWithFlag(disableCloudWatchRole);
    const stack = new Stack(app, 'One', { env });
    addApi(stack, 'Api');
    const template = templateOf(app, stack);

    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    const accounts = template.findResources('AWS::ApiGateway::Account');
    const [accountId, account] = Object.entries(accounts)[0];
    expect(account.DeletionPolicy).toBe('Retain');
    const roleId = account.Properties.CloudWatchRoleArn['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.DeletionPolicy).toBe('Retain');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } }),
    ]);
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('service-role/AmazonAPIGatewayPushToCloudWatchLogs');
    for (const dependsOn of stageDependencies(template)) expect(dependsOn).toContain(accountId);
  });

  test('restApiProps.cloudWatchRole false: no role and no account setting (the account already has one)', () => {
    const app = appWithFlag(disableCloudWatchRole);
    const stack = new Stack(app, 'Off', { env });
    addApi(stack, 'Api', { restApiProps: { cloudWatchRole: false } });
    const template = templateOf(app, stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
    template.resourcePropertiesCountIs('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] }),
    }, 0);
  });
});

describe('API Gateway CloudWatch role under the flag cdk init sets (one account setting per region)', () => {
  test('two protected APIs in one stack share one account setting and both stages wait for it', () => {
    const app = appWithFlag(true);
    const stack = new Stack(app, 'Two', { env });
    addApi(stack, 'First');
    addApi(stack, 'Second');
    const template = templateOf(app, stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    const accountId = Object.keys(template.findResources('AWS::ApiGateway::Account'))[0];
    const dependencies = stageDependencies(template);
    expect(dependencies).toHaveLength(2);
    for (const dependsOn of dependencies) expect(dependsOn).toContain(accountId);
  });

  test('two stacks of one app in one region: one account setting, and the second stack deploys after the stack that holds it', () => {
    const app = appWithFlag(true);
    const first = new Stack(app, 'First', { env });
    const second = new Stack(app, 'Second', { env });
    addApi(first, 'Api');
    addApi(second, 'Api');
    const assembly = app.synth();
    const count = (stack: Stack) => Template.fromJSON(assembly.getStackByName(stack.stackName).template)
      .findResources('AWS::ApiGateway::Account');
    expect(Object.keys(count(first))).toHaveLength(1);
    expect(Object.keys(count(second))).toHaveLength(0);
    expect(second.dependencies).toContain(first);
  });

  test('stacks in two regions each get their own account setting (the setting is per region)', () => {
    const app = appWithFlag(true);
    const east = new Stack(app, 'East', { env });
    const west = new Stack(app, 'West', { env: { ...env, region: 'us-west-2' } });
    addApi(east, 'Api');
    addApi(west, 'Api');
    const assembly = app.synth();
    for (const stack of [east, west]) {
      Template.fromJSON(assembly.getStackByName(stack.stackName).template).resourceCountIs('AWS::ApiGateway::Account', 1);
    }
    expect(west.dependencies).not.toContain(east);
  });
});

import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { HTTP_BASE_PROPS, url } from './http-api-synth';
import { BASE_PROPS, integration, newApi, synthesize } from './synth';
import { Auth0ProtectedApi, Auth0ProtectedHttpApi } from '../../src';
import { ALARM_REASONS } from '../../src/authorizer/authorizer-config';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function statements(template: ReturnType<typeof synthesize>['template']): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('operations defaults', () => {
  test('the stage writes JSON access logs with request id, principal, route, status, authorizer error and latency', () => {
    const { template } = synthesize();
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      principal: '$context.authorizer.principalId',
      route: '$context.resourcePath',
      status: '$context.status',
      authorizerError: '$context.authorizer.error',
      responseLatency: '$context.responseLatency',
    });
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiAccessLogs/), 'Arn'] });
  });

  test('access logs are kept for a year', () => {
    const { template } = synthesize();
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    const access = Object.entries(logGroups).filter(([id]) => id.startsWith('ApiAccessLogs'));
    expect(access).toHaveLength(1);
    expect(access[0][1].Properties.RetentionInDays).toBe(365);
  });

  test('accessLogGroup replaces the default access log group', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const mine = new LogGroup(stack, 'Mine');
    const api = new Auth0ProtectedApi(stack, 'Api', { ...BASE_PROPS, accessLogGroup: mine });
    api.addRoute('GET /things', integration());
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: Match.objectLike({ DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] } }),
    });
    expect(api.accessLogGroup).toBe(mine);
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup')).filter((id) => id.startsWith('ApiAccessLogs'))).toEqual([]);
  });

  test('data trace is off and execution logs record errors only', () => {
    const { template } = synthesize();
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', DataTraceEnabled: false, LoggingLevel: 'ERROR' })]),
    });
  });

  test('the stage is throttled to 1,000 requests per second with bursts of 2,000 by default', () => {
    const { template } = synthesize();
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: '/*', ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 })]),
    });
  });

  test('throttle sets the stage limits', () => {
    const { template } = synthesize({ throttle: { rateLimit: 50, burstLimit: 100 } });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })]),
    });
  });

  test('a route\'s throttle applies to that route alone', () => {
    const { template } = synthesize({}, (api) => {
      api.addRoute('GET /things', integration());
      api.addRoute('POST /things/{id}/orders', integration(), { throttle: { rateLimit: 5, burstLimit: 10 } });
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ResourcePath: '/*', ThrottlingRateLimit: 1000 }),
        { HttpMethod: 'POST', ResourcePath: '/~1things~1{id}~1orders', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
      ]),
    });
  });

  test('throttle set twice, in the prop and in deployOptions, fails', () => {
    expect(() => newApi({ throttle: { rateLimit: 1 }, restApiProps: { deployOptions: { throttlingRateLimit: 2 } } }))
      .toThrow(/throttle: stage throttling is set both in throttle and in restApiProps.deployOptions/);
  });

  test('turning data trace on in deployOptions is honoured, with a warning', () => {
    const { stack, template } = synthesize({ restApiProps: { deployOptions: { dataTraceEnabled: true } } });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { MethodSettings: Match.arrayWith([Match.objectLike({ DataTraceEnabled: true })]) });
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp('Authorization headers included'));
  });

  test('tracing turns on X-Ray for the stage and the authorizer', () => {
    const { template } = synthesize({ tracing: true });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', TracingConfig: { Mode: 'Active' } });
  });

  test('authorizerMemorySize sets the authorizer memory, within what Lambda allows', () => {
    synthesize({ authorizerMemorySize: 1024 }).template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', MemorySize: 1024 });
    expect(() => newApi({ authorizerMemorySize: 64 })).toThrow(/authorizerMemorySize: 64 is outside what Lambda allows/);
  });

  test('usage plans and API keys are reachable through restApi', () => {
    const { template } = synthesize({}, (api) => {
      const method = api.addRoute('GET /things', integration(), { methodOptions: { apiKeyRequired: true } });
      const plan = api.restApi.addUsagePlan('Plan', { throttle: { rateLimit: 10, burstLimit: 20 } });
      plan.addApiStage({ stage: api.restApi.deploymentStage, throttle: [{ method, throttle: { rateLimit: 1, burstLimit: 2 } }] });
      plan.addApiKey(api.restApi.addApiKey('Key'));
    });
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
  });
});

describe('least privilege', () => {
  test('every IAM statement the construct creates names a resource narrower than *', () => {
    const { template } = synthesize();
    const all = statements(template);
    expect(all.length).toBeGreaterThan(0);
    for (const statement of all) {
      expect([statement.Resource].flat()).not.toContain('*');
    }
  });

  test('the authorizer may only write to its own log group, with no managed policy', () => {
    const { template } = synthesize();
    const all = statements(template);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] });
    expect(all[0].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ApiAuthorizerLogs/), 'Arn'] });
    const lambdaRoles = Object.values(template.findResources('AWS::IAM::Role'))
      .filter((r) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'));
    expect(lambdaRoles).toHaveLength(1);
    expect(lambdaRoles[0].Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('API Gateway may invoke the authorizer only as this API\'s authorizer', () => {
    const { template } = synthesize();
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(1);
    const restApiId = Object.keys(template.findResources('AWS::ApiGateway::RestApi'))[0];
    const authorizerId = Object.keys(template.findResources('AWS::ApiGateway::Authorizer'))[0];
    const sourceArn = JSON.stringify(permissions[0].Properties.SourceArn);
    expect(sourceArn).toContain(`{"Ref":"${restApiId}"}`);
    expect(sourceArn).toContain(`/authorizers/",{"Ref":"${authorizerId}"}`);
  });

  test('with tracing, the only * is the one X-Ray requires', () => {
    const { template } = synthesize({ tracing: true });
    const wildcard = statements(template).filter((s) => [s.Resource].flat().includes('*'));
    expect(wildcard).toEqual([expect.objectContaining({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] })]);
  });
});

describe('alarms', () => {
  test('addAlarms creates the authorizer-error, 5XX-rate and p99-latency alarms', () => {
    const { template, api } = synthesize({}, (a) => {
      a.addRoute('GET /things', integration());
      expect(a.addAlarms()).toHaveLength(3);
    });
    void api;
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    // Selected on the authorizer's own reasons under the runtime's JSON format, never on the level
    // (the runtime logs an ERROR line for every 401); the patterns are run against real log lines
    // in test/authorizer/alarms.test.ts.
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((r) => r.Properties);
    const byMetric = Object.fromEntries(filters.map((p) => [p.MetricTransformations[0].MetricName, p.FilterPattern]));
    expect(Object.keys(byMetric).sort()).toEqual(['AuthorizerErrors', 'AuthorizerForbidden', 'AuthorizerUnauthorized']);
    expect(byMetric.AuthorizerErrors).toBe(`{ ${ALARM_REASONS.map((r) => `($.message.reason = "${r}")`).join(' || ')} }`);
    expect(byMetric.AuthorizerErrors).not.toContain('$.level');
    expect(byMetric.AuthorizerUnauthorized).toBe('{ ($.message.event = "request refused") && ($.message.status = 401) }');
    expect(byMetric.AuthorizerForbidden).toBe('{ ($.message.event = "request refused") && ($.message.status = 403) }');
    for (const filter of filters) {
      expect(filter.LogGroupName).toEqual({ Ref: expect.stringMatching(/^ApiAuthorizerLogs/) });
      expect(filter.MetricTransformations[0]).toMatchObject({ MetricNamespace: 'CdkAuth0ProtectedApi', MetricValue: '1' });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuthorizerErrors', Namespace: 'CdkAuth0ProtectedApi', Statistic: 'Sum' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuthorizerErrors', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * errors / MAX([requests, 1])' })]), Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 2000 });
  });

  test('the authorizer keeps using its last good key set for at most 12 hours while the issuer is unreachable', () => {
    const { config } = synthesize();
    expect(config).toMatchObject({ jwksCacheMaxAgeMs: 600_000, jwksCooldownMs: 10_000, jwksStaleMaxAgeMs: 12 * 3_600_000 });
  });

  test('alarm thresholds are props', () => {
    const { template } = synthesize({}, (a) => {
      a.addRoute('GET /things', integration());
      a.addAlarms({ authorizerErrorThreshold: 5, serverErrorRatePercent: 2.5, latencyP99: Duration.millis(800), period: Duration.minutes(1) });
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AuthorizerErrors', Threshold: 5, Period: 60 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 2.5 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', Threshold: 800 });
  });

  test('no alarms unless asked', () => {
    synthesize().template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('two protected APIs in one account and region publish per authorizer function and each alarm selects its own', () => {
    // GIVEN a REST and an HTTP API and a second REST API, all with alarms, in one app and region
    const app = new App();
    const stack = new Stack(app, 'Apis', { env: { account: '123456789012', region: 'us-east-1' } });
    const first = new Auth0ProtectedApi(stack, 'First', BASE_PROPS);
    const second = new Auth0ProtectedApi(stack, 'Second', BASE_PROPS);
    const http = new Auth0ProtectedHttpApi(stack, 'Http', HTTP_BASE_PROPS);
    first.addRoute('GET /things', integration());
    second.addRoute('GET /things', integration());
    http.addRoute('GET /things', url());
    for (const api of [first, second, http]) api.addAlarms();
    const template = Template.fromJSON(app.synth().getStackByName(stack.stackName).template);

    // THEN every metric filter publishes the function name the authorizer writes into each line
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((r) => r.Properties);
    expect(filters).toHaveLength(9);
    for (const filter of filters) {
      expect(filter.MetricTransformations[0].Dimensions).toEqual([{ Key: 'FunctionName', Value: '$.message.functionName' }]);
    }
    // AND each AuthorizerErrors alarm selects its own authorizer function, no two the same
    const functionId = (api: { authorizerFunction: { node: { defaultChild?: unknown } } }) =>
      stack.getLogicalId(api.authorizerFunction.node.defaultChild as never);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'AuthorizerErrors' } }));
    expect(alarms.map((a) => a.Properties.Dimensions).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))))
      .toEqual([first, second, http].map((api) => [{ Name: 'FunctionName', Value: { Ref: functionId(api) } }])
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  });

  test('a non-positive threshold fails', () => {
    const { api } = newApi();
    expect(() => api.addAlarms({ serverErrorRatePercent: 0 })).toThrow(/addAlarms: thresholds must be positive/);
  });
});

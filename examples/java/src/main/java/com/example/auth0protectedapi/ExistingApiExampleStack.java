package com.example.auth0protectedapi;

import java.util.List;
import java.util.Map;

import io.github.cdkauth0protectedapi.Auth0ProtectedApi;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.CorsOptions;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.Method;
import software.amazon.awscdk.services.apigateway.ProxyResource;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The example of examples/typescript/existing-api-stack.ts: a REST API its owner already has (built with
 * addResource/addMethod/addProxy), handed over to Auth0ProtectedApi with the restApi prop.
 */
public class ExistingApiExampleStack extends Stack {
    private final Auth0ProtectedApi api;

    public ExistingApiExampleStack(final Construct scope, final String id, final String domain, final String audience,
            final List<String> allowOrigins, final StackProps props) {
        super(scope, id, props);
        Function backend = Function.Builder.create(this, "Backend")
                .runtime(Runtime.NODEJS_22_X)
                .architecture(Architecture.ARM_64)
                .handler("index.handler")
                .code(Code.fromInline(ExampleStack.echoHandler(allowOrigins)))
                .memorySize(128)
                .timeout(Duration.seconds(5))
                .build();
        ((CfnResource) backend.getNode().getDefaultChild())
                .addMetadata("cfn-lint", Map.of("config", Map.of("ignore_checks", List.of("W3005"))));

        // The API as its owner built it, before any authorizer.
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs").retention(RetentionDays.ONE_YEAR).build();
        RestApi restApi = RestApi.Builder.create(this, "ShopApi")
                .defaultIntegration(new LambdaIntegration(backend))
                .defaultCorsPreflightOptions(CorsOptions.builder().allowOrigins(allowOrigins).build())
                .deployOptions(StageOptions.builder()
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.clf())
                        .build())
                .build();
        restApi.getRoot().addResource("health").addMethod("GET");
        Resource colors = restApi.getRoot().addResource("colors");
        colors.addMethod("GET");
        Method create = colors.addMethod("POST");
        Resource color = colors.addResource("{name}");
        color.addMethod("GET");
        Method remove = color.addMethod("DELETE");
        ProxyResource files = restApi.getRoot().addResource("files").addProxy();

        api = Auth0ProtectedApi.Builder.create(this, "Auth")
                .restApi(restApi)
                .domain(domain)
                .audience(audience)
                .requiredScopes(List.of("read:colors"))
                .publicRoutes(List.of("GET /health"))
                .contextClaims(Map.of("roles", "https://example.com/roles"))
                .build();
        api.requireScopes(create, List.of("write:colors"));
        api.requireScopes(remove, List.of("delete:colors"));
        api.requireScopes(files.getAnyMethod(), List.of("read:files"));

        CfnOutput.Builder.create(this, "ApiUrl")
                .description("Base URL of the API stage")
                .value(api.getUrl())
                .build();
        CfnOutput.Builder.create(this, "AuthorizerLogGroup")
                .description("Log group of the authorizer function, one JSON line per refused request")
                .value(api.getAuthorizerLogGroup().getLogGroupName())
                .build();
    }

    public Auth0ProtectedApi getApi() {
        return api;
    }
}

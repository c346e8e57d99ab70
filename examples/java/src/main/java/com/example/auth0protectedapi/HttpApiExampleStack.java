package com.example.auth0protectedapi;

import java.util.List;
import java.util.Map;

import io.github.cdkauth0protectedapi.AddHttpRouteOptions;
import io.github.cdkauth0protectedapi.Auth0ProtectedHttpApi;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

/** The example as an HTTP API: the same routes and scopes as ExampleStack. */
public class HttpApiExampleStack extends Stack {
    /** The same text as HTTP_ECHO_HANDLER in examples/typescript/http-api-stack.ts. */
    static final String HTTP_ECHO_HANDLER = String.join("\n",
            "exports.handler = async (event) => ({",
            "  statusCode: 200,",
            "  headers: { 'content-type': 'application/json' },",
            "  body: JSON.stringify({ routeKey: event.routeKey, authorizer: (event.requestContext.authorizer || {}).lambda || null }),",
            "});");

    private final Auth0ProtectedHttpApi api;

    public HttpApiExampleStack(final Construct scope, final String id, final String domain, final String audience, final StackProps props) {
        super(scope, id, props);
        Function backend = Function.Builder.create(this, "Backend")
                .runtime(Runtime.NODEJS_22_X)
                .architecture(Architecture.ARM_64)
                .handler("index.handler")
                .code(Code.fromInline(HTTP_ECHO_HANDLER))
                .memorySize(128)
                .timeout(Duration.seconds(5))
                .build();
        ((CfnResource) backend.getNode().getDefaultChild())
                .addMetadata("cfn-lint", Map.of("config", Map.of("ignore_checks", List.of("W3005"))));
        HttpLambdaIntegration integration = new HttpLambdaIntegration("Backend", backend);

        api = Auth0ProtectedHttpApi.Builder.create(this, "Api")
                .domain(domain)
                .audience(audience)
                .requiredScopes(List.of("read:colors"))
                .publicRoutes(List.of("GET /health"))
                .cors(CorsPreflightOptions.builder()
                        .allowOrigins(List.of("https://app.example.com"))
                        .allowHeaders(List.of("authorization", "content-type"))
                        .build())
                .contextClaims(Map.of("roles", "https://example.com/roles"))
                .build();
        api.addRoute("GET /health", integration);
        api.addRoute("GET /colors", integration);
        api.addRoute("GET /colors/{name}", integration);
        api.addRoute("POST /colors", integration, AddHttpRouteOptions.builder().scopes(List.of("write:colors")).build());
        api.addRoute("DELETE /colors/{name}", integration, AddHttpRouteOptions.builder().scopes(List.of("delete:colors")).build());
        api.addRoute("ANY /files/{proxy+}", integration, AddHttpRouteOptions.builder().scopes(List.of("read:files")).build());

        CfnOutput.Builder.create(this, "ApiUrl")
                .description("Base URL of the HTTP API")
                .value(api.getUrl())
                .build();
        CfnOutput.Builder.create(this, "AuthorizerLogGroup")
                .description("Log group of the authorizer function, one JSON line per refused request")
                .value(api.getAuthorizerLogGroup().getLogGroupName())
                .build();
    }

    public Auth0ProtectedHttpApi getApi() {
        return api;
    }
}

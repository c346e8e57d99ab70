package com.example.auth0protectedapi;

import java.util.List;
import java.util.Map;

import io.github.cdkauth0protectedapi.AddRouteOptions;
import io.github.cdkauth0protectedapi.Auth0ProtectedApi;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.CorsOptions;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

/** The example API: a public health check, colors with per-method scopes, files behind a greedy path. */
public class ExampleStack extends Stack {
    /**
     * Backend shared by every route: echoes who called and what the authorizer passed on, with the
     * CORS headers a browser needs on a Lambda proxy response (the allowed Origin echoed back,
     * Vary: Origin). The same text as echoHandler in examples/typescript/example-stack.ts.
     */
    static String echoHandler(final List<String> allowedOrigins) {
        return String.join("\n",
                "const allowedOrigins = ['" + String.join("', '", allowedOrigins) + "'];",
                "exports.handler = async (event) => {",
                "  const origin = Object.entries(event.headers || {}).find(([name]) => name.toLowerCase() === 'origin')?.[1];",
                "  const cors = allowedOrigins.includes(origin) ? { 'access-control-allow-origin': origin } : {};",
                "  return {",
                "    statusCode: 200,",
                "    headers: { 'content-type': 'application/json', 'vary': 'Origin', ...cors },",
                "    body: JSON.stringify({ route: event.httpMethod + \" \" + event.resource, authorizer: event.requestContext.authorizer || null }),",
                "  };",
                "};");
    }

    private final Auth0ProtectedApi api;

    public ExampleStack(final Construct scope, final String id, final String domain, final String audience,
            final List<String> allowOrigins, final StackProps props) {
        super(scope, id, props);

        Function backend = Function.Builder.create(this, "Backend")
                .runtime(Runtime.NODEJS_22_X)
                .architecture(Architecture.ARM_64)
                .handler("index.handler")
                .code(Code.fromInline(echoHandler(allowOrigins)))
                .memorySize(128)
                .timeout(Duration.seconds(5))
                .build();
        // CDK adds a DependsOn on the role that the role's GetAtt already implies; cfn-lint warns (W3005).
        ((CfnResource) backend.getNode().getDefaultChild())
                .addMetadata("cfn-lint", Map.of("config", Map.of("ignore_checks", List.of("W3005"))));
        LambdaIntegration integration = new LambdaIntegration(backend);

        api = Auth0ProtectedApi.Builder.create(this, "Api")
                .domain(domain)
                .audience(audience)
                .requiredScopes(List.of("read:colors"))
                .publicRoutes(List.of("GET /health"))
                .cors(CorsOptions.builder().allowOrigins(allowOrigins).build())
                .contextClaims(Map.of("roles", "https://example.com/roles"))
                .build();
        api.addRoute("GET /health", integration);
        api.addRoute("GET /colors", integration);
        api.addRoute("GET /colors/{name}", integration);
        api.addRoute("POST /colors", integration, AddRouteOptions.builder().scopes(List.of("write:colors")).build());
        api.addRoute("DELETE /colors/{name}", integration, AddRouteOptions.builder().scopes(List.of("delete:colors")).build());
        api.addRoute("ANY /files/{proxy+}", integration, AddRouteOptions.builder().scopes(List.of("read:files")).build());

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

package com.example.auth0protectedapi;

import java.util.List;
import java.util.Map;

import io.github.cdkauth0protectedapi.Auth0HttpAuthorizer;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

/**
 * The example of examples/typescript/standalone-authorizer-stack.ts: an HTTP API wired in CDK's own idiom,
 * with Auth0HttpAuthorizer as the authorizer of each protected route.
 */
public class StandaloneAuthorizerExampleStack extends Stack {
    /** The same text as PREFLIGHT_HANDLER in examples/typescript/standalone-authorizer-stack.ts. */
    static final String PREFLIGHT_HANDLER = "exports.handler = async () => ({ statusCode: 204 });";

    private final Auth0HttpAuthorizer authorizer;
    private final HttpApi httpApi;

    public StandaloneAuthorizerExampleStack(final Construct scope, final String id, final String domain, final String audience,
            final StackProps props) {
        super(scope, id, props);
        HttpLambdaIntegration integration = new HttpLambdaIntegration("Backend", fn("Backend", HttpApiExampleStack.HTTP_ECHO_HANDLER));

        authorizer = Auth0HttpAuthorizer.Builder.create(this, "Auth")
                .domain(domain)
                .audience(audience)
                .requiredScopes(List.of("read:colors"))
                .contextClaims(Map.of("roles", "https://example.com/roles"))
                .build();
        httpApi = HttpApi.Builder.create(this, "ShopApi")
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(List.of("https://app.example.com"))
                        .allowHeaders(List.of("authorization", "content-type"))
                        .allowMethods(List.of(CorsHttpMethod.ANY))
                        .build())
                .build();
        route("/health", HttpMethod.GET, integration, null);
        route("/colors", HttpMethod.GET, integration, authorizer);
        route("/colors/{name}", HttpMethod.GET, integration, authorizer);
        route("/colors", HttpMethod.POST, integration, authorizer.withScopes("write:colors"));
        route("/colors/{name}", HttpMethod.DELETE, integration, authorizer.withScopes("delete:colors"));
        route("/files/{proxy+}", HttpMethod.ANY, integration, authorizer.withScopes("read:files"));
        // An ANY route also matches the browser's preflight, which carries no token: route it past the authorizer.
        route("/files/{proxy+}", HttpMethod.OPTIONS, new HttpLambdaIntegration("Preflight", fn("Preflight", PREFLIGHT_HANDLER)), null);

        CfnOutput.Builder.create(this, "ApiUrl")
                .description("Base URL of the HTTP API")
                .value(httpApi.getApiEndpoint() + "/")
                .build();
        CfnOutput.Builder.create(this, "AuthorizerLogGroup")
                .description("Log group of the authorizer function, one JSON line per refused request")
                .value(authorizer.getAuthorizerLogGroup().getLogGroupName())
                .build();
    }

    private Function fn(final String name, final String code) {
        Function f = Function.Builder.create(this, name)
                .runtime(Runtime.NODEJS_22_X)
                .architecture(Architecture.ARM_64)
                .handler("index.handler")
                .code(Code.fromInline(code))
                .memorySize(128)
                .timeout(Duration.seconds(5))
                .build();
        // CDK adds a DependsOn on the role that the role's GetAtt already implies; cfn-lint warns (W3005).
        ((CfnResource) f.getNode().getDefaultChild())
                .addMetadata("cfn-lint", Map.of("config", Map.of("ignore_checks", List.of("W3005"))));
        return f;
    }

    private void route(final String path, final HttpMethod method, final HttpLambdaIntegration integration,
            final IHttpRouteAuthorizer routeAuthorizer) {
        httpApi.addRoutes(AddRoutesOptions.builder()
                .path(path)
                .methods(List.of(method))
                .integration(integration)
                .authorizer(routeAuthorizer)
                .build());
    }

    public Auth0HttpAuthorizer getAuthorizer() {
        return authorizer;
    }

    public HttpApi getHttpApi() {
        return httpApi;
    }
}

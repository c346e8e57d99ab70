"""The example of examples/typescript/standalone-authorizer-stack.ts, written in Python: an HTTP API
whose routes use Auth0HttpAuthorizer alone."""
from typing import Optional, cast

import aws_cdk as cdk
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from cdk_auth0_protected_api import Auth0HttpAuthorizer
from http_api_stack import HTTP_ECHO_HANDLER

# The same text as PREFLIGHT_HANDLER in examples/typescript/standalone-authorizer-stack.ts.
PREFLIGHT_HANDLER = "exports.handler = async () => ({ statusCode: 204 });"


class StandaloneAuthorizerExampleStack(cdk.Stack):
    """The example API as an HTTP API with Auth0HttpAuthorizer on each protected route."""

    def __init__(self, scope: Construct, construct_id: str, *, domain: str, audience: str,
                 issuer: Optional[str] = None, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        def fn(name: str, code: str) -> lambda_.Function:
            f = lambda_.Function(
                self, name,
                runtime=lambda_.Runtime.NODEJS_22_X,
                architecture=lambda_.Architecture.ARM_64,
                handler="index.handler",
                code=lambda_.Code.from_inline(code),
                memory_size=128,
                timeout=cdk.Duration.seconds(5),
            )
            cast(cdk.CfnResource, f.node.default_child).add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})
            return f

        integration = integrations.HttpLambdaIntegration("Backend", fn("Backend", HTTP_ECHO_HANDLER))
        self.authorizer = Auth0HttpAuthorizer(
            self, "Auth",
            domain=None if issuer else domain,
            issuer=issuer,
            audience=audience,
            required_scopes=["read:colors"],
            context_claims={"roles": "https://example.com/roles"},
        )
        auth = self.authorizer
        self.http_api = apigwv2.HttpApi(
            self, "ShopApi",
            cors_preflight=apigwv2.CorsPreflightOptions(
                allow_origins=["https://app.example.com"], allow_headers=["authorization", "content-type"],
                allow_methods=[apigwv2.CorsHttpMethod.ANY],
            ),
        )
        get, post, delete, any_, options = (apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST, apigwv2.HttpMethod.DELETE,
                                            apigwv2.HttpMethod.ANY, apigwv2.HttpMethod.OPTIONS)
        self.http_api.add_routes(path="/health", methods=[get], integration=integration)
        self.http_api.add_routes(path="/colors", methods=[get], integration=integration, authorizer=auth)
        self.http_api.add_routes(path="/colors/{name}", methods=[get], integration=integration, authorizer=auth)
        self.http_api.add_routes(path="/colors", methods=[post], integration=integration, authorizer=auth.with_scopes("write:colors"))
        self.http_api.add_routes(path="/colors/{name}", methods=[delete], integration=integration, authorizer=auth.with_scopes("delete:colors"))
        self.http_api.add_routes(path="/files/{proxy+}", methods=[any_], integration=integration, authorizer=auth.with_scopes("read:files"))
        # An ANY route also matches the browser's preflight, which carries no token: route it past the authorizer.
        self.http_api.add_routes(path="/files/{proxy+}", methods=[options],
                                 integration=integrations.HttpLambdaIntegration("Preflight", fn("Preflight", PREFLIGHT_HANDLER)))

        cdk.CfnOutput(self, "ApiUrl", description="Base URL of the HTTP API", value=self.http_api.api_endpoint + "/")
        cdk.CfnOutput(self, "AuthorizerLogGroup", description="Log group of the authorizer function, one JSON line per refused request",
                      value=auth.authorizer_log_group.log_group_name)

"""The HTTP API example of examples/typescript/http-api-stack.ts, written in Python."""
from typing import Optional, cast

import aws_cdk as cdk
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from cdk_auth0_protected_api import Auth0ProtectedHttpApi

# The same text as HTTP_ECHO_HANDLER in examples/typescript/http-api-stack.ts.
HTTP_ECHO_HANDLER = "\n".join([
    "exports.handler = async (event) => ({",
    "  statusCode: 200,",
    "  headers: { 'content-type': 'application/json' },",
    "  body: JSON.stringify({ routeKey: event.routeKey, authorizer: (event.requestContext.authorizer || {}).lambda || null }),",
    "});",
])


class HttpApiExampleStack(cdk.Stack):
    """The example as an HTTP API: the same routes and scopes as ExampleStack."""

    def __init__(self, scope: Construct, construct_id: str, *, domain: str, audience: str,
                 issuer: Optional[str] = None, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        backend = lambda_.Function(
            self, "Backend",
            runtime=lambda_.Runtime.NODEJS_22_X,
            architecture=lambda_.Architecture.ARM_64,
            handler="index.handler",
            code=lambda_.Code.from_inline(HTTP_ECHO_HANDLER),
            memory_size=128,
            timeout=cdk.Duration.seconds(5),
        )
        cast(cdk.CfnResource, backend.node.default_child).add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})
        integration = integrations.HttpLambdaIntegration("Backend", backend)

        self.api = Auth0ProtectedHttpApi(
            self, "Api",
            domain=None if issuer else domain,
            issuer=issuer,
            audience=audience,
            required_scopes=["read:colors"],
            public_routes=["GET /health"],
            cors=apigwv2.CorsPreflightOptions(allow_origins=["https://app.example.com"], allow_headers=["authorization", "content-type"]),
            context_claims={"roles": "https://example.com/roles"},
        )
        self.api.add_route("GET /health", integration)
        self.api.add_route("GET /colors", integration)
        self.api.add_route("GET /colors/{name}", integration)
        self.api.add_route("POST /colors", integration, scopes=["write:colors"])
        self.api.add_route("DELETE /colors/{name}", integration, scopes=["delete:colors"])
        self.api.add_route("ANY /files/{proxy+}", integration, scopes=["read:files"])

        cdk.CfnOutput(self, "ApiUrl", description="Base URL of the HTTP API", value=self.api.url)
        cdk.CfnOutput(self, "AuthorizerLogGroup", description="Log group of the authorizer function, one JSON line per refused request",
                      value=self.api.authorizer_log_group.log_group_name)

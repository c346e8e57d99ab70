"""The example of examples/typescript/existing-api-stack.ts, written in Python: a REST API its owner
already has, handed over to Auth0ProtectedApi."""
from typing import Optional, cast

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_auth0_protected_api import Auth0ProtectedApi
from echo_handler import echo_handler


class ExistingApiExampleStack(cdk.Stack):
    """The example API built with addResource/addMethod/addProxy, then handed over (restApi)."""

    def __init__(self, scope: Construct, construct_id: str, *, domain: str, audience: str, allow_origins: list[str],
                 issuer: Optional[str] = None, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        backend = lambda_.Function(
            self, "Backend",
            runtime=lambda_.Runtime.NODEJS_22_X,
            architecture=lambda_.Architecture.ARM_64,
            handler="index.handler",
            code=lambda_.Code.from_inline(echo_handler(allow_origins)),
            memory_size=128,
            timeout=cdk.Duration.seconds(5),
        )
        cast(cdk.CfnResource, backend.node.default_child).add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})

        # The API as its owner built it, before any authorizer.
        access_logs = logs.LogGroup(self, "AccessLogs", retention=logs.RetentionDays.ONE_YEAR)
        rest_api = apigateway.RestApi(
            self, "ShopApi",
            default_integration=apigateway.LambdaIntegration(backend),
            default_cors_preflight_options=apigateway.CorsOptions(allow_origins=allow_origins),
            deploy_options=apigateway.StageOptions(
                access_log_destination=apigateway.LogGroupLogDestination(access_logs),
                access_log_format=apigateway.AccessLogFormat.clf(),
            ),
        )
        rest_api.root.add_resource("health").add_method("GET")
        colors = rest_api.root.add_resource("colors")
        colors.add_method("GET")
        create = colors.add_method("POST")
        color = colors.add_resource("{name}")
        color.add_method("GET")
        remove = color.add_method("DELETE")
        files = rest_api.root.add_resource("files").add_proxy()

        self.api = Auth0ProtectedApi(
            self, "Auth",
            rest_api=rest_api,
            domain=None if issuer else domain,
            issuer=issuer,
            audience=audience,
            required_scopes=["read:colors"],
            public_routes=["GET /health"],
            context_claims={"roles": "https://example.com/roles"},
        )
        self.api.require_scopes(create, ["write:colors"])
        self.api.require_scopes(remove, ["delete:colors"])
        self.api.require_scopes(files.any_method, ["read:files"])

        cdk.CfnOutput(self, "ApiUrl", description="Base URL of the API stage", value=self.api.url)
        cdk.CfnOutput(self, "AuthorizerLogGroup", description="Log group of the authorizer function, one JSON line per refused request",
                      value=self.api.authorizer_log_group.log_group_name)

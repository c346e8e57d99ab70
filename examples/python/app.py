#!/usr/bin/env python3
"""The example API of examples/typescript, written in Python.

`python app.py` synthesizes it into ./cdk.out. Point it at your tenant with
AUTH0_DOMAIN and AUTH0_AUDIENCE, and at your browser app with ALLOWED_ORIGINS
(comma-separated origins).
"""
import os
from pathlib import Path
from typing import cast

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from cdk_auth0_protected_api import Auth0ProtectedApi
from echo_handler import echo_handler
from existing_api_stack import ExistingApiExampleStack
from http_api_stack import HttpApiExampleStack
from standalone_authorizer_stack import StandaloneAuthorizerExampleStack


class ExampleStack(cdk.Stack):
    """A public health check, colors with per-method scopes, files behind a greedy path."""

    def __init__(self, scope: Construct, construct_id: str, *, domain: str, audience: str, allow_origins: list[str], **kwargs) -> None:
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
        # CDK adds a DependsOn on the role that the role's GetAtt already implies; cfn-lint warns (W3005).
        cast(cdk.CfnResource, backend.node.default_child).add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})
        integration = apigateway.LambdaIntegration(backend)

        self.api = Auth0ProtectedApi(
            self, "Api",
            domain=domain,
            audience=audience,
            required_scopes=["read:colors"],
            public_routes=["GET /health"],
            cors=apigateway.CorsOptions(allow_origins=allow_origins),
            context_claims={"roles": "https://example.com/roles"},
        )
        self.api.add_route("GET /health", integration)
        self.api.add_route("GET /colors", integration)
        self.api.add_route("GET /colors/{name}", integration)
        self.api.add_route("POST /colors", integration, scopes=["write:colors"])
        self.api.add_route("DELETE /colors/{name}", integration, scopes=["delete:colors"])
        self.api.add_route("ANY /files/{proxy+}", integration, scopes=["read:files"])

        cdk.CfnOutput(self, "ApiUrl", description="Base URL of the API stage", value=self.api.url)
        cdk.CfnOutput(self, "AuthorizerLogGroup", description="Log group of the authorizer function, one JSON line per refused request",
                      value=self.api.authorizer_log_group.log_group_name)


app = cdk.App(outdir=str(Path(__file__).parent / "cdk.out"))
stack = ExampleStack(
    app, "Auth0ProtectedApiExample",
    domain=os.environ.get("AUTH0_DOMAIN", "example.us.auth0.com"),
    audience=os.environ.get("AUTH0_AUDIENCE", "https://api.example.com"),
    allow_origins=[o.strip() for o in os.environ.get("ALLOWED_ORIGINS", "https://app.example.com").split(",") if o.strip()],
)
# The same API as an HTTP API (Auth0ProtectedHttpApi).
http_stack = HttpApiExampleStack(
    app, "Auth0ProtectedHttpApiExample",
    domain=os.environ.get("AUTH0_DOMAIN", "example.us.auth0.com"),
    audience=os.environ.get("AUTH0_AUDIENCE", "https://api.example.com"),
)
# The same API as a REST API you already have, handed over (rest_api), and as an HTTP API whose
# routes use the authorizer alone (Auth0HttpAuthorizer).
ExistingApiExampleStack(
    app, "Auth0ExistingApiExample",
    domain=os.environ.get("AUTH0_DOMAIN", "example.us.auth0.com"),
    audience=os.environ.get("AUTH0_AUDIENCE", "https://api.example.com"),
    allow_origins=[o.strip() for o in os.environ.get("ALLOWED_ORIGINS", "https://app.example.com").split(",") if o.strip()],
)
StandaloneAuthorizerExampleStack(
    app, "Auth0StandaloneAuthorizerExample",
    domain=os.environ.get("AUTH0_DOMAIN", "example.us.auth0.com"),
    audience=os.environ.get("AUTH0_AUDIENCE", "https://api.example.com"),
)
assembly = app.synth()

print(f"CloudFormation template: {Path(assembly.directory) / assembly.get_stack_by_name(stack.stack_name).template_file}")
print("Protected routes (Authorization: Bearer <access token>):")
for route in stack.api.protected_routes:
    print(f"  {route}")
print("Public routes:")
for route in stack.api.public_routes:
    print(f"  {route}")

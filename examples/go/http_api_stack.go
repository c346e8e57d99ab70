package main

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-auth0-protected-api/cdk-auth0-protected-api-go/cdkauth0protectedapi"
)

// httpEchoHandler is the same text as HTTP_ECHO_HANDLER in examples/typescript/http-api-stack.ts.
var httpEchoHandler = strings.Join([]string{
	"exports.handler = async (event) => ({",
	"  statusCode: 200,",
	"  headers: { 'content-type': 'application/json' },",
	"  body: JSON.stringify({ routeKey: event.routeKey, authorizer: (event.requestContext.authorizer || {}).lambda || null }),",
	"});",
}, "\n")

// NewHttpApiExampleStack creates the example as an HTTP API: the same routes and scopes as NewExampleStack.
func NewHttpApiExampleStack(scope constructs.Construct, id string, props *ExampleStackProps) (awscdk.Stack, cdkauth0protectedapi.Auth0ProtectedHttpApi) {
	stack := awscdk.NewStack(scope, &id, &props.StackProps)
	backend := awslambda.NewFunction(stack, jsii.String("Backend"), &awslambda.FunctionProps{
		Runtime:      awslambda.Runtime_NODEJS_22_X(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("index.handler"),
		Code:         awslambda.Code_FromInline(jsii.String(httpEchoHandler)),
		MemorySize:   jsii.Number(128),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(5)),
	})
	backend.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String("cfn-lint"), map[string]interface{}{
		"config": map[string]interface{}{"ignore_checks": []string{"W3005"}},
	})
	integration := awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("Backend"), backend, nil)

	api := cdkauth0protectedapi.NewAuth0ProtectedHttpApi(stack, jsii.String("Api"), &cdkauth0protectedapi.Auth0ProtectedHttpApiProps{
		Domain:         jsii.String(props.Domain),
		Audience:       jsii.String(props.Audience),
		RequiredScopes: jsii.Strings("read:colors"),
		PublicRoutes:   jsii.Strings("GET /health"),
		Cors: &awsapigatewayv2.CorsPreflightOptions{
			AllowOrigins: jsii.Strings("https://app.example.com"),
			AllowHeaders: jsii.Strings("authorization", "content-type"),
		},
		ContextClaims: &map[string]*string{
			"roles": jsii.String("https://example.com/roles"),
		},
	})
	api.AddRoute(jsii.String("GET /health"), integration, nil)
	api.AddRoute(jsii.String("GET /colors"), integration, nil)
	api.AddRoute(jsii.String("GET /colors/{name}"), integration, nil)
	api.AddRoute(jsii.String("POST /colors"), integration, &cdkauth0protectedapi.AddHttpRouteOptions{Scopes: jsii.Strings("write:colors")})
	api.AddRoute(jsii.String("DELETE /colors/{name}"), integration, &cdkauth0protectedapi.AddHttpRouteOptions{Scopes: jsii.Strings("delete:colors")})
	api.AddRoute(jsii.String("ANY /files/{proxy+}"), integration, &cdkauth0protectedapi.AddHttpRouteOptions{Scopes: jsii.Strings("read:files")})

	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{
		Description: jsii.String("Base URL of the HTTP API"),
		Value:       api.Url(),
	})
	awscdk.NewCfnOutput(stack, jsii.String("AuthorizerLogGroup"), &awscdk.CfnOutputProps{
		Description: jsii.String("Log group of the authorizer function, one JSON line per refused request"),
		Value:       api.AuthorizerLogGroup().LogGroupName(),
	})
	return stack, api
}

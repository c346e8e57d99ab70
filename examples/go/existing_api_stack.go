package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-auth0-protected-api/cdk-auth0-protected-api-go/cdkauth0protectedapi"
)

// NewExistingApiExampleStack creates the example of examples/typescript/existing-api-stack.ts: a REST API
// its owner already has (built with AddResource/AddMethod/AddProxy), handed over to Auth0ProtectedApi
// with the RestApi prop.
func NewExistingApiExampleStack(scope constructs.Construct, id string, props *ExampleStackProps) (awscdk.Stack, cdkauth0protectedapi.Auth0ProtectedApi) {
	stack := awscdk.NewStack(scope, &id, &props.StackProps)
	backend := awslambda.NewFunction(stack, jsii.String("Backend"), &awslambda.FunctionProps{
		Runtime:      awslambda.Runtime_NODEJS_22_X(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("index.handler"),
		Code:         awslambda.Code_FromInline(jsii.String(echoHandler(props.AllowedOrigins))),
		MemorySize:   jsii.Number(128),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(5)),
	})
	backend.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String("cfn-lint"), map[string]interface{}{
		"config": map[string]interface{}{"ignore_checks": []string{"W3005"}},
	})

	// The API as its owner built it, before any authorizer.
	accessLogs := awslogs.NewLogGroup(stack, jsii.String("AccessLogs"), &awslogs.LogGroupProps{Retention: awslogs.RetentionDays_ONE_YEAR})
	restApi := awsapigateway.NewRestApi(stack, jsii.String("ShopApi"), &awsapigateway.RestApiProps{
		DefaultIntegration:          awsapigateway.NewLambdaIntegration(backend, nil),
		DefaultCorsPreflightOptions: &awsapigateway.CorsOptions{AllowOrigins: jsii.Strings(props.AllowedOrigins...)},
		DeployOptions: &awsapigateway.StageOptions{
			AccessLogDestination: awsapigateway.NewLogGroupLogDestination(accessLogs),
			AccessLogFormat:      awsapigateway.AccessLogFormat_Clf(),
		},
	})
	restApi.Root().AddResource(jsii.String("health"), nil).AddMethod(jsii.String("GET"), nil, nil)
	colors := restApi.Root().AddResource(jsii.String("colors"), nil)
	colors.AddMethod(jsii.String("GET"), nil, nil)
	create := colors.AddMethod(jsii.String("POST"), nil, nil)
	color := colors.AddResource(jsii.String("{name}"), nil)
	color.AddMethod(jsii.String("GET"), nil, nil)
	remove := color.AddMethod(jsii.String("DELETE"), nil, nil)
	files := restApi.Root().AddResource(jsii.String("files"), nil).AddProxy(nil)

	api := cdkauth0protectedapi.NewAuth0ProtectedApi(stack, jsii.String("Auth"), &cdkauth0protectedapi.Auth0ProtectedApiProps{
		RestApi:        restApi,
		Domain:         jsii.String(props.Domain),
		Audience:       jsii.String(props.Audience),
		RequiredScopes: jsii.Strings("read:colors"),
		PublicRoutes:   jsii.Strings("GET /health"),
		ContextClaims: &map[string]*string{
			"roles": jsii.String("https://example.com/roles"),
		},
	})
	api.RequireScopes(create, jsii.Strings("write:colors"))
	api.RequireScopes(remove, jsii.Strings("delete:colors"))
	api.RequireScopes(files.AnyMethod(), jsii.Strings("read:files"))

	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{
		Description: jsii.String("Base URL of the API stage"),
		Value:       api.Url(),
	})
	awscdk.NewCfnOutput(stack, jsii.String("AuthorizerLogGroup"), &awscdk.CfnOutputProps{
		Description: jsii.String("Log group of the authorizer function, one JSON line per refused request"),
		Value:       api.AuthorizerLogGroup().LogGroupName(),
	})
	return stack, api
}

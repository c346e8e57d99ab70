package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-auth0-protected-api/cdk-auth0-protected-api-go/cdkauth0protectedapi"
)

// preflightHandler answers a CORS preflight with 204; API Gateway adds the API's CORS headers to it.
// The same text as PREFLIGHT_HANDLER in examples/typescript/standalone-authorizer-stack.ts.
const preflightHandler = "exports.handler = async () => ({ statusCode: 204 });"

// NewStandaloneAuthorizerExampleStack creates the example of examples/typescript/standalone-authorizer-stack.ts:
// an HTTP API wired in CDK's own idiom, with Auth0HttpAuthorizer as the authorizer of each protected route.
func NewStandaloneAuthorizerExampleStack(scope constructs.Construct, id string, props *ExampleStackProps) (awscdk.Stack, cdkauth0protectedapi.Auth0HttpAuthorizer) {
	stack := awscdk.NewStack(scope, &id, &props.StackProps)
	fn := func(name string, code string) awslambda.Function {
		f := awslambda.NewFunction(stack, jsii.String(name), &awslambda.FunctionProps{
			Runtime:      awslambda.Runtime_NODEJS_22_X(),
			Architecture: awslambda.Architecture_ARM_64(),
			Handler:      jsii.String("index.handler"),
			Code:         awslambda.Code_FromInline(jsii.String(code)),
			MemorySize:   jsii.Number(128),
			Timeout:      awscdk.Duration_Seconds(jsii.Number(5)),
		})
		// CDK adds a DependsOn on the role that the role's GetAtt already implies; cfn-lint warns (W3005).
		f.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String("cfn-lint"), map[string]interface{}{
			"config": map[string]interface{}{"ignore_checks": []string{"W3005"}},
		})
		return f
	}
	integration := awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("Backend"), fn("Backend", httpEchoHandler), nil)

	auth := cdkauth0protectedapi.NewAuth0HttpAuthorizer(stack, jsii.String("Auth"), &cdkauth0protectedapi.Auth0HttpAuthorizerProps{
		Domain:         jsii.String(props.Domain),
		Audience:       jsii.String(props.Audience),
		RequiredScopes: jsii.Strings("read:colors"),
		ContextClaims: &map[string]*string{
			"roles": jsii.String("https://example.com/roles"),
		},
	})
	httpApi := awsapigatewayv2.NewHttpApi(stack, jsii.String("ShopApi"), &awsapigatewayv2.HttpApiProps{
		CorsPreflight: &awsapigatewayv2.CorsPreflightOptions{
			AllowOrigins: jsii.Strings("https://app.example.com"),
			AllowHeaders: jsii.Strings("authorization", "content-type"),
			AllowMethods: &[]awsapigatewayv2.CorsHttpMethod{awsapigatewayv2.CorsHttpMethod_ANY},
		},
	})
	route := func(path string, method awsapigatewayv2.HttpMethod, integration awsapigatewayv2.HttpRouteIntegration, authorizer awsapigatewayv2.IHttpRouteAuthorizer) {
		httpApi.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(path),
			Methods:     &[]awsapigatewayv2.HttpMethod{method},
			Integration: integration,
			Authorizer:  authorizer,
		})
	}
	route("/health", awsapigatewayv2.HttpMethod_GET, integration, nil)
	route("/colors", awsapigatewayv2.HttpMethod_GET, integration, auth)
	route("/colors/{name}", awsapigatewayv2.HttpMethod_GET, integration, auth)
	route("/colors", awsapigatewayv2.HttpMethod_POST, integration, auth.WithScopes(jsii.String("write:colors")))
	route("/colors/{name}", awsapigatewayv2.HttpMethod_DELETE, integration, auth.WithScopes(jsii.String("delete:colors")))
	route("/files/{proxy+}", awsapigatewayv2.HttpMethod_ANY, integration, auth.WithScopes(jsii.String("read:files")))
	// An ANY route also matches the browser's preflight, which carries no token: route it past the authorizer.
	route("/files/{proxy+}", awsapigatewayv2.HttpMethod_OPTIONS,
		awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("Preflight"), fn("Preflight", preflightHandler), nil), nil)

	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{
		Description: jsii.String("Base URL of the HTTP API"),
		Value:       jsii.String(*httpApi.ApiEndpoint() + "/"),
	})
	awscdk.NewCfnOutput(stack, jsii.String("AuthorizerLogGroup"), &awscdk.CfnOutputProps{
		Description: jsii.String("Log group of the authorizer function, one JSON line per refused request"),
		Value:       auth.AuthorizerLogGroup().LogGroupName(),
	})
	return stack, auth
}

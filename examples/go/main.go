// The example API of examples/typescript, written in Go: `go run .` synthesizes it into ./cdk.out.
// Point it at your tenant with AUTH0_DOMAIN and AUTH0_AUDIENCE, and at your browser app with
// ALLOWED_ORIGINS (comma-separated origins).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-auth0-protected-api/cdk-auth0-protected-api-go/cdkauth0protectedapi"
)

// echoHandler is the backend shared by every route: it echoes who called and what the authorizer
// passed on, with the CORS headers a browser needs on a Lambda proxy response (the allowed Origin
// echoed back, Vary: Origin). The same text as echoHandler in examples/typescript/example-stack.ts.
func echoHandler(allowedOrigins []string) string {
	return strings.Join([]string{
		"const allowedOrigins = ['" + strings.Join(allowedOrigins, "', '") + "'];",
		"exports.handler = async (event) => {",
		"  const origin = Object.entries(event.headers || {}).find(([name]) => name.toLowerCase() === 'origin')?.[1];",
		"  const cors = allowedOrigins.includes(origin) ? { 'access-control-allow-origin': origin } : {};",
		"  return {",
		"    statusCode: 200,",
		"    headers: { 'content-type': 'application/json', 'vary': 'Origin', ...cors },",
		`    body: JSON.stringify({ route: event.httpMethod + " " + event.resource, authorizer: event.requestContext.authorizer || null }),`,
		"  };",
		"};",
	}, "\n")
}

type ExampleStackProps struct {
	awscdk.StackProps
	Domain         string
	Audience       string
	AllowedOrigins []string
}

// NewExampleStack creates the example API: a public health check, colors with per-method scopes,
// files behind a greedy path.
func NewExampleStack(scope constructs.Construct, id string, props *ExampleStackProps) (awscdk.Stack, cdkauth0protectedapi.Auth0ProtectedApi) {
	stack := awscdk.NewStack(scope, &id, &props.StackProps)

	backend := awslambda.NewFunction(stack, jsii.String("Backend"), &awslambda.FunctionProps{
		Runtime:      awslambda.Runtime_NODEJS_22_X(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("index.handler"),
		Code:         awslambda.Code_FromInline(jsii.String(echoHandler(props.AllowedOrigins))),
		MemorySize:   jsii.Number(128),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(5)),
	})
	// CDK adds a DependsOn on the role that the role's GetAtt already implies; cfn-lint warns (W3005).
	backend.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String("cfn-lint"), map[string]interface{}{
		"config": map[string]interface{}{"ignore_checks": []string{"W3005"}},
	})
	integration := awsapigateway.NewLambdaIntegration(backend, nil)

	api := cdkauth0protectedapi.NewAuth0ProtectedApi(stack, jsii.String("Api"), &cdkauth0protectedapi.Auth0ProtectedApiProps{
		Domain:         jsii.String(props.Domain),
		Audience:       jsii.String(props.Audience),
		RequiredScopes: jsii.Strings("read:colors"),
		PublicRoutes:   jsii.Strings("GET /health"),
		Cors: &awsapigateway.CorsOptions{
			AllowOrigins: jsii.Strings(props.AllowedOrigins...),
		},
		ContextClaims: &map[string]*string{
			"roles": jsii.String("https://example.com/roles"),
		},
	})
	api.AddRoute(jsii.String("GET /health"), integration, nil)
	api.AddRoute(jsii.String("GET /colors"), integration, nil)
	api.AddRoute(jsii.String("GET /colors/{name}"), integration, nil)
	api.AddRoute(jsii.String("POST /colors"), integration, &cdkauth0protectedapi.AddRouteOptions{Scopes: jsii.Strings("write:colors")})
	api.AddRoute(jsii.String("DELETE /colors/{name}"), integration, &cdkauth0protectedapi.AddRouteOptions{Scopes: jsii.Strings("delete:colors")})
	api.AddRoute(jsii.String("ANY /files/{proxy+}"), integration, &cdkauth0protectedapi.AddRouteOptions{Scopes: jsii.Strings("read:files")})

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

func main() {
	defer jsii.Close()

	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String("cdk.out")})
	stack, api := NewExampleStack(app, "Auth0ProtectedApiExample", &ExampleStackProps{
		Domain:         envOr("AUTH0_DOMAIN", "example.us.auth0.com"),
		Audience:       envOr("AUTH0_AUDIENCE", "https://api.example.com"),
		AllowedOrigins: origins(envOr("ALLOWED_ORIGINS", "https://app.example.com")),
	})
	// The same API as an HTTP API (Auth0ProtectedHttpApi).
	NewHttpApiExampleStack(app, "Auth0ProtectedHttpApiExample", &ExampleStackProps{
		Domain:   envOr("AUTH0_DOMAIN", "example.us.auth0.com"),
		Audience: envOr("AUTH0_AUDIENCE", "https://api.example.com"),
	})
	// The same API as a REST API you already have, handed over (RestApi), and as an HTTP API whose
	// routes use the authorizer alone (Auth0HttpAuthorizer).
	NewExistingApiExampleStack(app, "Auth0ExistingApiExample", &ExampleStackProps{
		Domain:         envOr("AUTH0_DOMAIN", "example.us.auth0.com"),
		Audience:       envOr("AUTH0_AUDIENCE", "https://api.example.com"),
		AllowedOrigins: origins(envOr("ALLOWED_ORIGINS", "https://app.example.com")),
	})
	NewStandaloneAuthorizerExampleStack(app, "Auth0StandaloneAuthorizerExample", &ExampleStackProps{
		Domain:   envOr("AUTH0_DOMAIN", "example.us.auth0.com"),
		Audience: envOr("AUTH0_AUDIENCE", "https://api.example.com"),
	})
	assembly := app.Synth(nil)

	fmt.Println("CloudFormation template:", filepath.Join(*assembly.Directory(), *assembly.GetStackByName(stack.StackName()).TemplateFile()))
	fmt.Println("Protected routes (Authorization: Bearer <access token>):")
	for _, route := range *api.ProtectedRoutes() {
		fmt.Println("  " + *route)
	}
	fmt.Println("Public routes:")
	for _, route := range *api.PublicRoutes() {
		fmt.Println("  " + *route)
	}
}

func envOr(name, fallback string) string {
	if value, ok := os.LookupEnv(name); ok {
		return value
	}
	return fallback
}

// origins splits a comma-separated list of origins.
func origins(list string) []string {
	var result []string
	for _, origin := range strings.Split(list, ",") {
		if trimmed := strings.TrimSpace(origin); trimmed != "" {
			result = append(result, trimmed)
		}
	}
	return result
}

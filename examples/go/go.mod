module github.com/cdk-auth0-protected-api/cdk-auth0-protected-api/examples/go

go 1.25.0

// aws-cdk-go v2.239.0, not 2.187.0 as in TypeScript: this package is built on constructs 10.5 (IMixin), and
// aws-cdk-go releases built on constructs 10.4 (all before v2.239.0) fail to compile beside it.
require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.239.0
	github.com/aws/constructs-go/constructs/v10 v10.5.1
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk-auth0-protected-api/cdk-auth0-protected-api-go/cdkauth0protectedapi v0.0.0
)

require (
	github.com/Masterminds/semver/v3 v3.5.0 // indirect
	github.com/cdklabs/awscdk-asset-awscli-go/awscliv1/v2 v2.2.296 // indirect
	github.com/cdklabs/awscdk-asset-node-proxy-agent-go/nodeproxyagentv6/v2 v2.1.3 // indirect
	github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v50 v50.4.0 // indirect
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.24 // indirect
	github.com/yuin/goldmark v1.7.16 // indirect
	golang.org/x/lint v0.0.0-20241112194109-818c5a804067 // indirect
	golang.org/x/mod v0.39.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/telemetry v0.0.0-20260811182544-a038080d80e5 // indirect
	golang.org/x/tools v0.49.0 // indirect
	golang.org/x/tools/cmd/godoc v0.1.0-deprecated // indirect
	golang.org/x/tools/godoc v0.1.0-deprecated // indirect
)

// The module that `npx projen package:go` writes; a user would `go get` it instead.
replace github.com/cdk-auth0-protected-api/cdk-auth0-protected-api-go/cdkauth0protectedapi => ../../dist/go/cdkauth0protectedapi

// The Go module proxy this CI reaches serves only some versions. It answers 403 "not available" for the
// two asset modules below at the versions dist/go/go.mod names (and for aws-cdk-go/awscdk v2.187.0),
// so these lines pick the nearest versions it serves. Neither module takes part in this template.
replace (
	github.com/cdklabs/awscdk-asset-awscli-go/awscliv1/v2 v2.2.296 => github.com/cdklabs/awscdk-asset-awscli-go/awscliv1/v2 v2.2.263
	github.com/cdklabs/awscdk-asset-node-proxy-agent-go/nodeproxyagentv6/v2 v2.1.3 => github.com/cdklabs/awscdk-asset-node-proxy-agent-go/nodeproxyagentv6/v2 v2.1.2
)

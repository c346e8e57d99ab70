/**
 * Several domains and audiences of one Auth0 tenant, and Organizations: what the props write into
 * the authorizer's configuration, and how bad values fail synthesis.
 */
import { newApi, synthesize } from './synth';

describe('tenant props', () => {
  test('additionalDomains add one exact issuer each, with the trailing slash; keys stay the tenant\'s', () => {
    const { config } = synthesize({ additionalDomains: ['login.acme.com', 'https://login.brand.com/'] });
    expect(config.issuer).toBe('https://acme.us.auth0.com/');
    expect(config.additionalIssuers).toEqual(['https://login.acme.com/', 'https://login.brand.com/']);
    expect(config.jwksUri).toBe('https://acme.us.auth0.com/.well-known/jwks.json');
  });

  test('additionalAudiences are written beside the audience', () => {
    const { config } = synthesize({ additionalAudiences: ['https://old-api.acme.com', 'urn:acme:orders'] });
    expect(config.audience).toBe('https://api.acme.com');
    expect(config.additionalAudiences).toEqual(['https://old-api.acme.com', 'urn:acme:orders']);
  });

  test('organizations are written as given', () => {
    expect(synthesize({ organizations: ['org_abc123', 'org_def456'] }).config.organizations).toEqual(['org_abc123', 'org_def456']);
  });

  test('without the new props the configuration has none of their fields (asset hashes of existing apps unchanged)', () => {
    const { config } = synthesize();
    expect(config).not.toHaveProperty('additionalIssuers');
    expect(config).not.toHaveProperty('additionalAudiences');
    expect(config).not.toHaveProperty('organizations');
  });

  test.each([
    [{ additionalDomains: ['login.acme.com/x'] }, /additionalDomains: "login.acme.com\/x" is not a bare host/],
    [{ additionalDomains: [''] }, /additionalDomains: the value is empty/],
    [{ additionalDomains: ['http://login.acme.com'] }, /additionalDomains: "http:\/\/login.acme.com" uses plain http/],
    [{ additionalDomains: 'login.acme.com' }, /additionalDomains: must be a list of strings; got string "login.acme.com"/],
    [{ additionalDomains: ['acme.us.auth0.com'] }, /additionalDomains: "acme.us.auth0.com" gives the issuer https:\/\/acme.us.auth0.com\/, which is already accepted/],
    [{ additionalAudiences: [''] }, /additionalAudiences: entry "" is empty/],
    [{ additionalAudiences: [42] }, /additionalAudiences: entry 42 must be a string; got number/],
    [{ organizations: ['acme'] }, /organizations: "acme" is not an Auth0 organization ID.*org_/],
    [{ organizations: [] }, /organizations: the list is empty/],
    [{ contextClaims: { org_id: 'https://acme.com/org' } }, /contextClaims: context key "org_id" .* not one of sub, scope, principalId, org_id, org_name/],
    [{ issuer: 'https://acme.us.auth0.com' }, /issuer: "https:\/\/acme.us.auth0.com" has no trailing slash.*"https:\/\/acme.us.auth0.com\/"/],
    [{ domain: 'login.acme.com', issuer: 'https://login.acme.com' }, /issuer: "https:\/\/login.acme.com" has no trailing slash/],
  ])('rejects %p naming the prop, the value and the fix', (props, message) => {
    expect(() => newApi(props as never)).toThrow(message);
  });

  test('an issuer of another provider without a trailing slash is accepted (it is compared exactly)', () => {
    expect(synthesize({ domain: undefined, issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc' }).config.issuer)
      .toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc');
  });
});

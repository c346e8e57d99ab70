export * from './authorizer/auth0-authorizer-props';
export * from './rest-api/auth0-protected-api-props';
export * from './authorizer/dpop-mode';
export * from './rest-api/auth0-protected-api';
export * from './http-api/auth0-protected-http-api';
export * from './http-api/auth0-protected-http-api-props';
export { AuthAlarmOptions } from './authorizer/alarms';
export * from './rest-api/auth0-rest-authorizer';
export * from './http-api/auth0-http-authorizer';

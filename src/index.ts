export * from './auth0-authorizer-props';
export * from './auth0-protected-api';
export * from './auth0-protected-http-api';
export * from './auth0-protected-http-api-props';
export { AuthAlarmOptions } from './alarms';

export * from './auth0-protected-api';
export * from './auth0-protected-http-api';
export { AuthAlarmOptions } from './alarms';

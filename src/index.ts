export * from './auth0-protected-api';
export { AuthAlarmOptions } from './alarms';

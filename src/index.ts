export * from './auth0-protected-api';

export * from './auth';
export * from './tenancy';
export * from './datasets';
export * from './standard-model';
export * from './studies';
export * from './workers';
export * from './public-api';
export * from './webhooks';

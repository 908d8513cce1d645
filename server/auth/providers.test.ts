import { describe, expect, it } from 'vitest';
import { env, type Env } from '../env';
import { authProviders } from './index';

const base: Env = { ...env(), OIDC_ISSUER: undefined, OIDC_CLIENT_ID: undefined, OIDC_CLIENT_SECRET: undefined };
const ids = (config: Env) => authProviders(config).map((provider) => (typeof provider === 'function' ? provider().id : provider.id));

describe('sign-in providers', () => {
  it('offers only e-mail and password without OpenID Connect settings', () => {
    expect(ids(base)).toEqual(['credentials']);
  });

  it('adds institutional OpenID Connect when issuer, client id and secret are all set', () => {
    const sso = { ...base, OIDC_ISSUER: 'https://login.example.edu', OIDC_CLIENT_ID: 'causeway', OIDC_CLIENT_SECRET: 's3cret' };
    expect(ids(sso)).toEqual(['credentials', 'oidc']);
    expect(ids({ ...sso, OIDC_CLIENT_SECRET: undefined })).toEqual(['credentials']);
  });
});

import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret } from './secret-box';

describe('secret box', () => {
  it('round-trips, never stores the secret in the clear, and differs each time', () => {
    const secret = 'whsec_abcdefghijklmnopqrstuvwxyz012345';
    const a = sealSecret(secret, 'auth-secret-one-auth-secret-one');
    const b = sealSecret(secret, 'auth-secret-one-auth-secret-one');
    expect(a).not.toBe(b);
    expect(a).not.toContain('abcdefghij');
    expect(openSecret(a, 'auth-secret-one-auth-secret-one')).toBe(secret);
  });

  it('refuses another AUTH_SECRET and tampered ciphertext with a message that says what to do', () => {
    const sealed = sealSecret('whsec_x', 'auth-secret-one-auth-secret-one');
    expect(() => openSecret(sealed, 'auth-secret-two-auth-secret-two')).toThrow(/Rotate the endpoint’s secret/);
    const [iv, body, tag] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => openSecret([iv, flipped.toString('base64url'), tag].join('.'), 'auth-secret-one-auth-secret-one')).toThrow(/cannot be decrypted/);
    expect(() => openSecret('garbage', 'auth-secret-one-auth-secret-one')).toThrow(/malformed/);
  });
});

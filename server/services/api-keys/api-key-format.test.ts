import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, parseApiKey } from './api-key-format';

describe('API key format', () => {
  it('generates cw_live_ keys whose prefix, last four and hash describe the secret', () => {
    const key = generateApiKey();
    expect(key.secret).toMatch(/^cw_live_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$/);
    expect(key.secret.startsWith(`${key.prefix}_`)).toBe(true);
    expect(key.prefix).toHaveLength(16);
    expect(key.lastFour).toBe(key.secret.slice(-4));
    expect(key.secretHash).toBe(createHash('sha256').update(key.secret).digest('hex'));
    expect(key.secretHash).not.toContain(key.secret.slice(17));
  });

  it('never repeats a prefix or secret across many keys', () => {
    const keys = Array.from({ length: 500 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(500);
    expect(new Set(keys.map((k) => k.secret)).size).toBe(500);
  });

  it('parses its own keys and refuses anything else', () => {
    const key = generateApiKey();
    expect(parseApiKey(key.secret)).toEqual({ prefix: key.prefix, secretHash: hashApiKey(key.secret) });
    for (const bad of ['', 'cw_live_', key.prefix, `${key.secret}x`, key.secret.slice(0, -1), key.secret.replace('cw_live_', 'cw_test_'), ` ${key.secret}`, key.secret.toUpperCase()]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });
});

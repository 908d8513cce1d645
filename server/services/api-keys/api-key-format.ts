/**
 * The shape of an API key: `cw_live_<8 base32 chars>_<43 base64url chars>`. The first part
 * (`cw_live_` + 8 characters) is the visible prefix that finds the key's row; the whole key is
 * stored only as its SHA-256. 256 random bits in the secret make a brute-force search of the
 * hash pointless, so a fast hash (not a password hash) is the right tool here.
 */
import { createHash, randomBytes } from 'node:crypto';

export { API_KEY_SCOPES, type ApiKeyScope } from './scopes';

const PREFIX = 'cw_live_';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const KEY_PATTERN = /^(cw_live_[a-z2-7]{8})_[A-Za-z0-9_-]{43}$/;

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export interface GeneratedApiKey {
  /** The whole key: shown once, never stored. */
  secret: string;
  prefix: string;
  lastFour: string;
  secretHash: string;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = `${PREFIX}${base32(randomBytes(5))}`;
  const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix, lastFour: secret.slice(-4), secretHash: hashApiKey(secret) };
}

/** The prefix and hash of a presented key, or null when it is not shaped like one of ours. */
export function parseApiKey(presented: string): { prefix: string; secretHash: string } | null {
  const match = KEY_PATTERN.exec(presented);
  if (!match) return null;
  return { prefix: match[1]!, secretHash: hashApiKey(presented) };
}

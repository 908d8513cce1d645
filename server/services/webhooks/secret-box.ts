/**
 * Webhook signing secrets must be read again for every delivery, so unlike API keys they cannot
 * be stored as a hash. They are sealed with AES-256-GCM under a key derived (HKDF-SHA256) from
 * AUTH_SECRET: a copy of the database alone does not reveal them. Changing AUTH_SECRET makes the
 * stored secrets unreadable: rotate each endpoint's secret afterwards.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const INFO = 'causeway webhook secrets v1';

function sealingKey(authSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', authSecret, 'causeway', INFO, 32));
}

/** `iv.ciphertext.tag`, each base64url. */
export function sealSecret(secret: string, authSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(authSecret), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url')).join('.');
}

export function openSecret(sealed: string, authSecret: string): string {
  const [iv, ciphertext, tag] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !ciphertext || !tag) throw new Error('sealed webhook secret is malformed');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(authSecret), iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new Error('A webhook secret cannot be decrypted: AUTH_SECRET changed since it was created. Rotate the endpoint’s secret in the portal.');
  }
}

import { createSecretKey, type KeyObject } from 'node:crypto';

/**
 * The access-token secret as a symmetric KeyObject. Given a string, jsonwebtoken first tries to read
 * it as a PEM public key on every verify and throws before falling back to a secret key (a few
 * per cent of a request's CPU). The key bytes are the string's UTF-8 bytes, as jsonwebtoken's own
 * fallback uses, so tokens signed before and after this change verify alike.
 */
export function accessTokenKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * WeChat Official Account safe mode (安全模式): each message is AES-256-CBC encrypted with
 * the account's EncodingAESKey, and msg_signature = SHA-1(sort(token, timestamp, nonce,
 * Encrypt)) covers the ciphertext, so the body is authenticated, not only the URL.
 * Plaintext = 16 random bytes + 4-byte big-endian length + message XML + AppID; the key
 * is base64(EncodingAESKey + "="), the IV its first 16 bytes, padding PKCS#7 to 32 bytes.
 */

const BLOCK = 32;

const keyOf = (encodingAesKey: string) => {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new Error('EncodingAESKey must decode to 32 bytes');
  return key;
};

export function encryptMessage(encodingAesKey: string, appId: string, xml: string): string {
  const key = keyOf(encodingAesKey);
  const body = Buffer.from(xml, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([randomBytes(16), length, body, Buffer.from(appId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** The XML and AppID inside an Encrypt field; throws on anything malformed (check msg_signature first). */
export function decryptMessage(encodingAesKey: string, encrypted: string): { xml: string; appId: string } {
  const key = keyOf(encodingAesKey);
  const data = Buffer.from(encrypted, 'base64');
  if (!data.length || data.length % 16) throw new Error('ciphertext length');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > BLOCK || pad > plain.length || !plain.subarray(plain.length - pad).every((b) => b === pad)) throw new Error('padding');
  const content = plain.subarray(16, plain.length - pad);
  if (content.length < 4) throw new Error('length');
  const length = content.readUInt32BE(0);
  if (length > content.length - 4) throw new Error('length');
  return { xml: content.subarray(4, 4 + length).toString('utf8'), appId: content.subarray(4 + length).toString('utf8') };
}

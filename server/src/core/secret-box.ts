import { createCipheriv, createDecipheriv, createHmac, createPrivateKey, createPublicKey, hkdfSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The hub's own secrets, all derived from one 32-byte key: REDCOM_SECRET_KEY (64 hex
 * characters or base64), or in development a key generated once into DATA_DIR. Every
 * instance must share it (set the variable in production, where it is required).
 * It encrypts stored credentials (AES-256-GCM) and derives the Ed25519 key that signs
 * the exchange log.
 */
export interface SecretBox {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  signingKey: { privateKey: KeyObject; publicKey: KeyObject; publicPem: string; keyId: string };
  /** HMAC-SHA256 (base64url) of `data` under a key derived for `purpose`: short signed tokens (an activity's sign-in QR). */
  mac(purpose: string, data: string): string;
}

export function loadSecretKey(env: { secretKey?: string; dataDir: string; production: boolean }): Buffer {
  if (env.secretKey) {
    const raw = /^[0-9a-f]{64}$/i.test(env.secretKey) ? Buffer.from(env.secretKey, 'hex') : Buffer.from(env.secretKey, 'base64');
    if (raw.length !== 32) throw new Error('REDCOM_SECRET_KEY must be 32 bytes: 64 hex characters or 44 base64 characters (openssl rand -hex 32)');
    return raw;
  }
  if (env.production) throw new Error('REDCOM_SECRET_KEY is required in production (openssl rand -hex 32); every instance must share it');
  const file = path.join(env.dataDir, 'secret.key');
  fs.mkdirSync(env.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}

// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), so node:crypto can load a derived key.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function secretBox(key: Buffer): SecretBox {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
  const aesKey = derive('redcom credentials v1');
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, derive('redcom exchange-log ed25519 v1')]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const publicDer = publicKey.export({ format: 'der', type: 'spki' });
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', aesKey, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `v1:${Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64')}`;
    },
    decrypt(sealed) {
      if (!sealed.startsWith('v1:')) throw new Error('unknown sealed format');
      const b = Buffer.from(sealed.slice(3), 'base64');
      const d = createDecipheriv('aes-256-gcm', aesKey, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    },
    mac(purpose, data) {
      return createHmac('sha256', derive(`redcom mac ${purpose} v1`)).update(data).digest('base64url');
    },
    signingKey: {
      privateKey, publicKey,
      publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      keyId: hkdfKeyId(publicDer),
    },
  };
}

const hkdfKeyId = (publicDer: Buffer) => Buffer.from(hkdfSync('sha256', publicDer, Buffer.alloc(0), 'key id', 8)).toString('hex');

export const signEd25519 = (key: KeyObject, data: string) => sign(null, Buffer.from(data), key).toString('base64');
export const verifyEd25519 = (key: KeyObject, data: string, signature: string) => {
  try { return verify(null, Buffer.from(data), key, Buffer.from(signature, 'base64')); } catch { return false; }
};

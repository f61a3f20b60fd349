import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../../core/secret-box.js';

/** The activity sign-in QR's token: `activityId.expiry.mac`, an HMAC under a key derived from REDCOM_SECRET_KEY. */

/** Sign-in opens this long before the start and closes this long after the end. */
export const CHECKIN_WINDOW_MIN = 30;
const PURPOSE = 'party-activity-checkin';

export function activityToken(secrets: SecretBox, activityId: number, expiresAt: Date) {
  const data = `${activityId}.${Math.floor(expiresAt.getTime() / 1000)}`;
  return { token: `${data}.${secrets.mac(PURPOSE, data)}`, expiresAt };
}

/** The activity and expiry a token names, or null when it is malformed or its signature is wrong. */
export function readActivityToken(secrets: SecretBox, token: string) {
  const m = /^(\d{1,10})\.(\d{1,12})\.([\w-]{43})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(secrets.mac(PURPOSE, `${m[1]}.${m[2]}`));
  const given = Buffer.from(m[3]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { activityId: Number(m[1]), expiresAt: new Date(Number(m[2]) * 1000) };
}


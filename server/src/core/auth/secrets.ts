import { randomBytes } from 'node:crypto';
import type { Db } from '../db.js';

/**
 * A secret every instance must share (the app is stateless and may run several
 * times): made at random by whichever instance asks first, kept in app_secrets.
 */
export async function sharedSecret(db: Db, name: string): Promise<string> {
  await db.insertInto('app_secrets').values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing()).execute();
  return (await db.selectFrom('app_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow()).value;
}

import { z } from 'zod';

/** Shared request-schema pieces. */

/** Ids are PostgreSQL int4: anything above 2^31-1 is a 400 here, not an out-of-range 500 in the query. */
export const MAX_DB_ID = 2147483647;
/** An id in a path or query string (text, coerced). */
export const dbId = z.coerce.number().int().positive().max(MAX_DB_ID);
/** An id in a JSON body (must already be a number). */
export const bodyId = z.number().int().positive().max(MAX_DB_ID);
export const idParam = z.object({ id: dbId });
export const optionalId = dbId.optional();

/** A calendar date `YYYY-MM-DD` that exists (no 2026-13-45, no 2026-02-29). */
export const isoDate = z.iso.date({ message: 'invalid_date' })
  .refine((d) => Number(d.slice(0, 4)) >= 1000, { message: 'invalid_date' });

/** An ISO 8601 instant with an offset, in a year PostgreSQL accepts (year 0000 matches the format but not the column). */
export const isoDateTime = z.iso.datetime({ offset: true })
  .refine((d) => Number(d.slice(0, 4)) >= 1000, { message: 'invalid_date' });

/** A PATCH body must change something: `{}` is a 400, not a silent no-op. */
export const nonEmpty = <T extends z.ZodObject>(schema: T) =>
  schema.refine((o) => Object.keys(o).length > 0, { message: 'empty_patch' });

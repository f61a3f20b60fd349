import { z } from 'zod';

/** Shared request-schema pieces. */
export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const optionalId = z.coerce.number().int().positive().optional();

/** A PATCH body must change something: `{}` is a 400, not a silent no-op. */
export const nonEmpty = <T extends z.ZodObject>(schema: T) =>
  schema.refine((o) => Object.keys(o).length > 0, { message: 'empty_patch' });

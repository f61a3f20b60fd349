import { z } from 'zod';

/** Shared request-schema pieces. */
export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const optionalId = z.coerce.number().int().positive().optional();

import { z } from 'zod';
import { instant, int } from '../../core/response.js';
import { stationService } from './schemas.js';

/** Response schema of a station service (the web imports this file; the statuses repeat stations-tables.ts's list). */
export const stationServiceStatus = z.enum(['requested', 'taken', 'done']);

/** presentService: the resident masked as surname + 某 except to themself; the handler with the party badge (亮身份). */
export const stationServiceRecord = z.object({
  id: int, station: z.object({ id: int, name: z.string() }), service: stationService, serviceName: z.string(), note: z.string().nullable(),
  status: stationServiceStatus, statusName: z.string(), beneficiary: z.string(),
  handler: z.object({ name: z.string(), partyMember: z.boolean(), organisation: z.string().nullable() }).nullable(),
  takenAt: instant.nullable(), doneAt: instant.nullable(), doneNote: z.string().nullable(),
  rating: z.object({ score: int, comment: z.string().nullable(), ratedAt: instant }).nullable(),
  mine: z.boolean().describe('为本人申请的'), handling: z.boolean().describe('由本人服务的'),
  can: z.object({ take: z.boolean(), done: z.boolean(), rate: z.boolean() }),
});

import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { instant, int } from '../../core/response.js';

/** Response schemas of the audit routes (see core/response.ts). */

export const auditEntry = z.object({
  id: int, at: instant, actorId: int.nullable(), actorName: z.string().nullable(), actorRole: z.string().nullable(), action: z.string(),
  targetType: z.string().nullable(), targetId: z.string().nullable(),
  /** What changed, as recorded (personal data in it is masked when written). */
  summary: z.unknown(),
  ip: z.string().nullable(), requestId: z.string().nullable(), hash: z.string(),
});

export const auditVerify = z.object({ ok: z.boolean(), checked: int, brokenAt: int.optional(), reason: z.string().optional() });

export const piAccess = z.object({
  id: int, at: instant, actorId: int, actorName: z.string().nullable(), kind: z.enum(['unmask', 'export']), targetType: z.string(),
  targetId: z.string().nullable(), fields: z.array(z.string()), purpose: z.string(), ip: z.string().nullable(),
});

export const auditResponses = {
  list: { 200: pageOf(auditEntry) },
  verify: { 200: auditVerify },
  piAccess: { 200: pageOf(piAccess) },
};

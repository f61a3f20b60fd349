import { z } from 'zod';
import { pageOf } from '../../core/paging.js';
import { day, instant, int } from '../../core/response.js';

/** Response schemas of the party routes (see core/response.ts). The enums repeat tables.ts's lists, so that the web can take its types from this file. */

export const memberStatus = z.enum(['probationary', 'full']);
export const transferStatus = z.enum(['pending', 'accepted', 'rejected']);
const ref = z.object({ id: int, name: z.string() });

/** presentMember: ID number and phone masked unless revealed (`masked` says which). */
export const partyMember = z.object({
  id: int, personId: int.nullable(), name: z.string(), sex: z.enum(['M', 'F']), idNumber: z.string(), phone: z.string().nullable(), masked: z.boolean(),
  organisation: ref, status: memberStatus, statusName: z.string(), joinedOn: day, fullOn: day.nullable(), posts: z.array(z.string()),
  reportCommunity: ref.nullable(), reportedOn: day.nullable(),
});

export const partyTransfer = z.object({
  id: int, member: ref, from: ref, to: ref, status: transferStatus, statusName: z.string(), reason: z.string().nullable(),
  requestedAt: instant, decidedAt: instant.nullable(), decisionNote: z.string().nullable(),
});

export const partyResponses = {
  members: { 200: pageOf(partyMember) },
  member: { 200: partyMember },
  memberCreated: { 201: partyMember },
  imported: { 201: z.object({ imported: int }) },
  transfers: { 200: pageOf(partyTransfer) },
  transfer: { 200: partyTransfer },
  transferCreated: { 201: partyTransfer },
};

import { z } from 'zod';
import { int } from '../../core/response.js';

/** Response schemas of the organisation routes (see core/response.ts). */

export const orgKind = z.enum(['party_working_committee', 'party_committee', 'general_branch', 'branch', 'enterprise', 'social_org', 'institution']);

export const orgNode = z.object({
  id: int, parentId: int.nullable(), kind: orgKind, kindName: z.string(), name: z.string(), code: z.string(),
  regionId: int.nullable(), regionName: z.string().nullable(),
  get children() { return z.array(orgNode); },
}).meta({ id: 'OrgNode' });

export const orgResponses = {
  tree: { 200: z.object({ items: z.array(orgNode) }) },
  created: { 201: z.object({ id: int, parentId: int.nullable().optional(), kind: orgKind, kindName: z.string(), name: z.string(), code: z.string(), regionId: int }) },
  updated: { 200: z.object({ id: int, name: z.string().optional() }) },
};

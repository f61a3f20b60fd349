import { ref } from 'vue';
import { api } from '@shared/api';
import type { OrgNode } from '@shared/types';
import { showError } from './notify';

/** Organisation kinds that have members (party/tables.ts PARTY_ORG_KINDS): not enterprises or social organisations themselves. */
const PARTY_ORG_KINDS: OrgNode['kind'][] = ['party_working_committee', 'party_committee', 'general_branch', 'branch'];

export interface PartyOrgOption { id: number; name: string; kindName: string }

/**
 * The party organisations of the caller's scope, flattened from the organisation tree in tree order,
 * for the register's filter and forms. Fetched per page (not kept across sign-ins: the scope may change).
 */
export function usePartyOrgs() {
  const options = ref<PartyOrgOption[]>([]);
  api.get<{ items: OrgNode[] }>('/api/orgs/tree').then((r) => {
    const out: PartyOrgOption[] = [];
    const walk = (nodes: OrgNode[]) => {
      for (const n of nodes) {
        if (PARTY_ORG_KINDS.includes(n.kind)) out.push({ id: n.id, name: n.name, kindName: n.kindName });
        walk(n.children);
      }
    };
    walk(r.items);
    options.value = out;
  }).catch(showError);
  return options;
}

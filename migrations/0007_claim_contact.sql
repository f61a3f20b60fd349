-- When the claimer first read the beneficiary's contact details (an explicit, logged action);
-- a claim withdrawn after that is flagged to the community.
alter table wish_claims add column contact_revealed_at timestamptz;
-- Per-claimer daily limits count recent claims and withdrawals.
create index wish_claims_claimer_recent_idx on wish_claims(claimer_id, claimed_at);

-- A season-end proposal belongs to the scope it was computed for: only workers whose
-- scope covers it read, accept or replace it.
alter table assignment_proposals add column scope_path text;
update assignment_proposals p set scope_path = coalesce(
  (select r.path from accounts a join regions r on r.id = a.scope_region_id where a.id = p.created_by),
  (select r.path from regions r where r.parent_id is null order by r.id limit 1));

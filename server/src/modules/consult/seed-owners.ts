import { sql } from 'kysely';
import type { Executor } from '../../core/db.js';

/**
 * The owner register of one compound: each householder owns their room and casts
 * its vote; about a third of couples own jointly; rooms without a household are
 * unsold developer units; now and then one person owns the room next door too.
 */
export async function seedOwnerRegister(tx: Executor, compoundPath: string) {
  const like = `${compoundPath}%`;
  await sql`insert into room_register (room_id, area_source, unsold_developer_unit)
    select r.id, case when r.id % 20 = 0 then 'survey' when r.id % 31 = 0 then 'contract' else 'registry' end,
           not exists (select 1 from households h where h.room_id = r.id)
    from regions r where r.level = 'room' and r.path like ${like}`.execute(tx);
  await sql`insert into room_owners (room_id, person_id, casts_vote)
    select h.room_id, p.id, true from households h join persons p on p.household_id = h.id and p.is_householder
    where h.region_path like ${like}`.execute(tx);
  await sql`insert into room_owners (room_id, person_id, casts_vote)
    select h.room_id, p.id, false from households h join persons p on p.household_id = h.id and not p.is_householder
    where h.region_path like ${like} and p.id % 3 = 0
      and p.id = (select min(q.id) from persons q where q.household_id = h.id and not q.is_householder)`.execute(tx);
  // One person, two rooms: the owner of the room before also owns this one (its household rents).
  await sql`with pairs as (
      select r.id as room_id, (select o.person_id from room_owners o where o.room_id = r.id - 1 and o.casts_vote) as owner
      from regions r join room_register g on g.room_id = r.id and not g.unsold_developer_unit
      where r.level = 'room' and r.path like ${like} and r.id % 211 = 0)
    delete from room_owners o using pairs where o.room_id = pairs.room_id and pairs.owner is not null`.execute(tx);
  await sql`insert into room_owners (room_id, person_id, casts_vote)
    select r.id, o.person_id, true from regions r join room_owners o on o.room_id = r.id - 1 and o.casts_vote
    join room_register g on g.room_id = r.id and not g.unsold_developer_unit
    where r.level = 'room' and r.path like ${like} and r.id % 211 = 0
      and not exists (select 1 from room_owners x where x.room_id = r.id)`.execute(tx);
}

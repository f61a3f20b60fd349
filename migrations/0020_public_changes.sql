-- Public pages are answered from a per-instance response cache (server/src/core/response-cache.ts).
-- A write to a table they are made from announces itself on the event bus channel public_changes
-- when its transaction commits, so that every instance drops the pages made from that table
-- (server/src/modules/public-pages.ts maps tables to pages). One notification per statement;
-- PostgreSQL folds identical notifications of one transaction into one.
create function announce_public_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('public_changes', json_build_object('table', TG_TABLE_NAME)::text);
  return null;
end $$;

do $$
declare t text;
begin
  foreach t in array array[
    'regions', 'seasons', 'season_communities', 'wish_photos',
    'alliance_units', 'coop_projects', 'coop_milestones', 'stations', 'station_checkins',
    'service_positions', 'function_rooms', 'position_staff', 'service_position_photos',
    'practical_matters', 'practical_matter_compounds', 'practical_matter_units', 'practical_milestones',
    'practical_matter_photos', 'practical_spending', 'practical_surveys',
    'service_types', 'service_requests'
  ] loop
    execute format('create trigger %I after insert or update or delete or truncate on %I for each statement execute function announce_public_change()', t || '_public_change', t);
  end loop;
end $$;

-- Wishes change state through their own events (wish_events channel); an edit of a published
-- wish's text has none, and the view counter's updates must not empty the caches every few seconds.
create trigger wishes_public_change after update of title, story, category, target_group, estimated_value_fen, beneficiary_surname, season_id, community_id
  on wishes for each statement execute function announce_public_change();

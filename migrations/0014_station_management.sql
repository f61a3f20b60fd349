-- Convenience stations (锋小巢 / 歇歇脚) become managed records: open or closed (with the reason and
-- the time), a contact on duty, a description, and when they last changed. A closed station leaves
-- the public map; its check-ins stay and keep counting in the statistics.
alter table stations add column status text not null default 'open' check (status in ('open','closed'));
alter table stations add column closed_reason text;
alter table stations add column closed_at timestamptz;
alter table stations add column contact_name text;
alter table stations add column contact_phone text;
alter table stations add column description text;
alter table stations add column updated_at timestamptz not null default now();
-- A closed station always says why and since when.
alter table stations add constraint stations_closed_reason check (status = 'open' or (closed_reason is not null and closed_at is not null));

-- One name per community, so that an import or a second worker cannot create the same station twice.
create unique index stations_region_name on stations (region_id, name);
-- Check-ins by period (statistics per month, counts over a period in the console list).
create index station_checkins_day on station_checkins (day, station_id);

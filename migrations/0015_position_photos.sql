-- Photos of a service position (the centre's front, its rooms), shown on the public register; at most 9 per position.
create table service_position_photos (
  file_id      integer primary key references files(id),
  position_id  integer not null references service_positions(id),
  sort         integer not null default 0,
  created_at   timestamptz not null default now()
);
create index service_position_photos_position on service_position_photos (position_id, sort);

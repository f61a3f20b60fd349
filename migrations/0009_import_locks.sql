-- One running import per account, across instances (issue 8): a row while an import runs,
-- taken with one conditional insert and deleted when the import ends. A row older than the
-- staleness window (see core/import-lock.ts) is left by an instance that died and is taken over.
create table import_locks (
  account_id integer primary key references accounts (id) on delete cascade,
  kind       text not null,
  token      text not null,
  started_at timestamptz not null default now()
);

-- WeChat sign-in, real message senders and SMS as a second factor for staff (issue 14).

-- The sign-in policy the district sets in the console: one row.
create table sign_in_policy (
  id          boolean primary key default true check (id),
  -- district and street accounts confirm a password sign-in with an SMS code to the account's phone
  staff_sms   boolean not null default false,
  updated_at  timestamptz not null default now(),
  updated_by  integer references accounts(id) on delete set null
);
insert into sign_in_policy (id) values (true);

-- A password sign-in waiting for its SMS code: the challenge token and the code are kept only as MACs;
-- good for 5 minutes, once, and for at most 5 tries.
create table sign_in_challenges (
  id          bigint generated always as identity primary key,
  token_mac   text not null unique,
  account_id  integer not null references accounts(id) on delete cascade,
  code_mac    text not null,
  tries       integer not null default 0 check (tries between 0 and 5),
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  used_at     timestamptz
);
create index sign_in_challenges_expires_idx on sign_in_challenges(expires_at);

-- Access tokens of external providers (the WeChat API's), shared by every instance: WeChat
-- invalidates a token a few minutes after a new one is fetched, so instances must not each fetch their own.
create table provider_tokens (
  name        text primary key,
  value       text not null,
  expires_at  timestamptz not null
);

-- An outbox row is leased while its message is sent, outside any transaction (a slow gateway must
-- not hold a row lock, or on PGlite the whole database); a crash mid-send frees it when the lease ends.
alter table outbox add column lease_until timestamptz;

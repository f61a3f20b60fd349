-- Attempt counters that hold across instances (issue 8): sign-in per account and address, per address,
-- per account; the current-password check; WeChat bind codes. An attempt is counted, and refused at the
-- limit, in one conditional upsert before any password or code is checked (core/auth/throttle.ts).
create table auth_throttle (
  key           text primary key,
  -- set for keys about one account, so an administrator's unlock or password reset can clear them
  account_id    integer references accounts(id) on delete cascade,
  attempts      integer not null check (attempts >= 0),
  max_attempts  integer not null check (max_attempts > 0),
  -- end of the current window; a row past it counts as empty
  expires_at    timestamptz not null
);
create index auth_throttle_account_idx on auth_throttle(account_id) where account_id is not null;
create index auth_throttle_expires_idx on auth_throttle(expires_at);

-- WeChat deliveries already handled: one row per MsgId (or event) and one per signed request
-- (timestamp + nonce), so a replay or a captured URL with a new body does nothing.
create table wechat_messages (
  key          text primary key,
  received_at  timestamptz not null default now()
);
create index wechat_messages_received_idx on wechat_messages(received_at);

-- Secrets every instance must share (e.g. the visitor-cookie signing key), made once on first use.
create table app_secrets (
  name        text primary key,
  value       text not null,
  created_at  timestamptz not null default now()
);

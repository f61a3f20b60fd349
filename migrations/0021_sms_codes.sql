-- Phone + SMS code sign-in for residents and volunteers: one row per code sent. The code itself is
-- never stored, only an HMAC of it under a shared secret (a 6-digit code's plain hash is found by
-- trying a million); a code is good for 5 minutes, once, and for at most 5 tries.
create table sms_codes (
  id          bigint generated always as identity primary key,
  phone       text not null check (phone ~ '^1[3-9][0-9]{9}$'),
  code_mac    text not null,
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  tries       integer not null default 0 check (tries between 0 and 5),
  used_at     timestamptz
);
create index sms_codes_phone_idx on sms_codes(phone, id desc);

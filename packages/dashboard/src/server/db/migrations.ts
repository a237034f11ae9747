/** One step of the schema; applied once, in version order, inside the migration transaction. */
export interface Migration {
  version: number;
  name: string;
  /** Single statements: the extended query protocol both backends use runs one at a time. */
  statements: readonly string[];
}

const initial: Migration = {
  version: 1,
  name: 'environments, flags, segments, append-only audit log, tokens, sessions',
  statements: [
    `create table environments (
      key text primary key check (key ~ '^[a-z][a-z0-9-]{0,62}$'),
      name text not null,
      created_at timestamptz not null default now()
    )`,
    `insert into environments (key, name) values ('production', 'Production')`,
    `create table flags (
      environment text not null references environments (key),
      key text not null,
      definition jsonb not null,
      version integer not null check (version > 0),
      updated_at timestamptz not null default now(),
      updated_by text not null,
      primary key (environment, key)
    )`,
    `create table segments (
      environment text not null references environments (key),
      key text not null,
      definition jsonb not null,
      version integer not null check (version > 0),
      updated_at timestamptz not null default now(),
      primary key (environment, key)
    )`,
    `create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor text not null,
      actor_id text not null,
      action text not null check (action in ('flag.create', 'flag.update', 'flag.delete', 'flag.rollback', 'token.create', 'token.revoke')),
      environment text references environments (key),
      flag_key text,
      version integer,
      before jsonb,
      after jsonb,
      note text
    )`,
    'create index audit_log_by_flag on audit_log (environment, flag_key, id desc)',
    `create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = '55000';
      end
    $$`,
    `create trigger audit_log_no_update_or_delete before update or delete on audit_log
      for each row execute function audit_log_append_only()`,
    `create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`,
    `create table tokens (
      id text primary key,
      name text not null,
      kind text not null check (kind in ('api', 'sdk')),
      role text check (role in ('viewer', 'editor', 'admin')),
      environment text references environments (key),
      token_hash text not null unique,
      prefix text not null,
      created_at timestamptz not null default now(),
      created_by text not null,
      revoked_at timestamptz,
      check ((kind = 'api' and role is not null and environment is null) or (kind = 'sdk' and role is null and environment is not null))
    )`,
    `create table sessions (
      id_hash text primary key,
      token_id text not null references tokens (id),
      csrf_hash text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`,
    'create index sessions_by_token on sessions (token_id)',
  ],
};

// One table per resolution, all written on each push (roll-up on write), so a read never sums minutes
// it could take from hours. Times are epoch milliseconds: step arithmetic stays integer maths in SQL.
const rollup = (table: string) => `create table ${table} (
      environment text not null references environments (key),
      flag text not null,
      bucket_ms bigint not null,
      metric text not null,
      variant text not null,
      model text not null,
      labels text not null,
      value double precision not null,
      primary key (environment, flag, bucket_ms, metric, variant, model, labels)
    )`;

const metrics: Migration = {
  version: 2,
  name: 'embedded metrics source: per-instance cumulative state, label caps, minute/hour/day aggregates',
  statements: [
    // An instance's last cumulative values as one JSON object ({series: value}): read and written whole
    // once per push, which is several times faster than a row per series.
    `create table metric_instances (
      environment text not null references environments (key),
      instance text not null,
      last_push_ms bigint not null,
      cumulative text not null,
      primary key (environment, instance)
    )`,
    `create table metric_label_values (
      environment text not null references environments (key),
      flag text not null,
      label text not null,
      value text not null,
      added_ms bigint not null,
      primary key (environment, flag, label, value)
    )`,
    rollup('metric_minutes'),
    rollup('metric_hours'),
    rollup('metric_days'),
  ],
};

/** Every migration, oldest first. Append new ones; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, metrics];

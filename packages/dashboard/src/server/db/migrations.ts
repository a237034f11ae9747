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

const AUDITED = [
  'flag.create',
  'flag.update',
  'flag.delete',
  'flag.rollback',
  'token.create',
  'token.revoke',
  'alert_rule.create',
  'alert_rule.update',
  'alert_rule.delete',
  'webhook.create',
  'webhook.delete',
];

const alerts: Migration = {
  version: 3,
  name: 'alert rules, per-rule state, alert events with evidence, webhook channels, delivery outbox and attempts',
  statements: [
    // Rule and channel changes are audited in the same append-only log as flags.
    'alter table audit_log drop constraint audit_log_action_check',
    `alter table audit_log add constraint audit_log_action_check check (action in (${AUDITED.map((a) => `'${a}'`).join(', ')}))`,
    `create table webhook_channels (
      id text primary key,
      environment text not null references environments (key),
      name text not null,
      format text not null check (format in ('generic', 'slack', 'pagerduty')),
      url text not null,
      secret text,
      routing_key text,
      created_at timestamptz not null default now(),
      created_by text not null,
      deleted_at timestamptz
    )`,
    `create table alert_rules (
      id text primary key,
      environment text not null references environments (key),
      flag text,
      definition jsonb not null,
      version integer not null check (version > 0),
      updated_at timestamptz not null default now(),
      updated_by text not null
    )`,
    'create index alert_rules_by_flag on alert_rules (environment, flag)',
    // One row per rule and flag (a guardrail has one per flag); `revision` lets only one evaluator write a step.
    `create table alert_states (
      rule_id text not null references alert_rules (id) on delete cascade,
      flag text not null,
      status text not null check (status in ('inactive', 'pending', 'firing', 'resolved')),
      since_ms bigint not null,
      incident_seq integer not null,
      action_done boolean not null default false,
      revision integer not null,
      evaluated_ms bigint not null,
      evidence jsonb not null,
      decisions jsonb not null default '{}',
      primary key (rule_id, flag)
    )`,
    // Kept after a rule is deleted: the history of what was decided, and on what, must not vanish with it.
    `create table alert_events (
      id bigint generated always as identity primary key,
      at_ms bigint not null,
      rule_id text not null,
      environment text not null references environments (key),
      flag text not null,
      from_status text not null,
      to_status text not null,
      incident_key text,
      evidence jsonb not null
    )`,
    'create index alert_events_by_flag on alert_events (environment, flag, id desc)',
    `create table webhook_outbox (
      id bigint generated always as identity primary key,
      channel_id text not null references webhook_channels (id),
      event_id bigint references alert_events (id),
      idempotency_key text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
      attempts integer not null default 0,
      next_attempt_ms bigint not null,
      lease_until_ms bigint not null default 0,
      created_ms bigint not null,
      delivered_ms bigint,
      unique (channel_id, idempotency_key)
    )`,
    'create index webhook_outbox_due on webhook_outbox (status, next_attempt_ms)',
    `create table webhook_attempts (
      id bigint generated always as identity primary key,
      outbox_id bigint not null references webhook_outbox (id),
      channel_id text not null,
      at_ms bigint not null,
      status_code integer,
      error text,
      duration_ms integer not null
    )`,
    'create index webhook_attempts_by_channel on webhook_attempts (channel_id, id desc)',
  ],
};

const AGGREGATES = ['metric_minutes', 'metric_hours', 'metric_days'];

const histogramRows: Migration = {
  version: 4,
  name: 'metric aggregates: a histogram as one row of bucket increases; hour and day roll-ups built by compaction',
  statements: [
    // A histogram row: metric is the family name, bounds its `le` values in order, value its count,
    // histogram_sum its sum, buckets the increase of each (cumulative) bucket; a plain series keeps
    // bounds '' and null arrays. One row instead of one per bucket plus two: ~7x fewer writes.
    ...AGGREGATES.flatMap((table) => [
      `alter table ${table} add column bounds text not null default ''`,
      `alter table ${table} add column histogram_sum double precision`,
      `alter table ${table} add column buckets double precision[]`,
      `alter table ${table} drop constraint ${table}_pkey`,
      `alter table ${table} add primary key (environment, flag, bucket_ms, metric, variant, model, labels, bounds)`,
    ]),
    // Minute buckets before through_ms are already in the hour and day tables; later ones only in minutes.
    `create table metric_rollup (
      singleton boolean primary key default true check (singleton),
      through_ms bigint not null
    )`,
    // Until now every push wrote all three tables, so every stored minute is already rolled up.
    `insert into metric_rollup (through_ms) select coalesce(max(bucket_ms) + 60000, 0) from metric_minutes`,
  ],
};

const ROLLOUT_AUDITED = ['rollout.plan', 'rollout.pause', 'rollout.resume', 'rollout.skip', 'rollout.abort'];

const rollouts: Migration = {
  version: 5,
  name: 'guarded progressive rollouts: a plan and its state per flag, and the record of every decision',
  statements: [
    'alter table audit_log drop constraint audit_log_action_check',
    `alter table audit_log add constraint audit_log_action_check check (action in (${[...AUDITED, ...ROLLOUT_AUDITED].map((a) => `'${a}'`).join(', ')}))`,
    // Beside the flag, per environment; not a foreign key, so deleting a flag keeps the record of its rollout.
    `create table rollouts (
      environment text not null references environments (key),
      flag text not null,
      plan jsonb not null,
      status text not null check (status in ('running', 'paused', 'completed', 'rolled_back', 'aborted')),
      stage integer not null,
      stage_since_ms bigint not null,
      revision integer not null,
      created_ms bigint not null,
      updated_ms bigint not null,
      evaluated_ms bigint,
      last_decision jsonb,
      decisions jsonb not null default '{}',
      primary key (environment, flag)
    )`,
    `create table rollout_decisions (
      id bigint generated always as identity primary key,
      environment text not null references environments (key),
      flag text not null,
      at_ms bigint not null,
      actor text not null,
      decision text not null,
      stage integer not null,
      evidence jsonb not null
    )`,
    'create index rollout_decisions_by_flag on rollout_decisions (environment, flag, id desc)',
  ],
};

/** Every migration, oldest first. Append new ones; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, metrics, alerts, histogramRows, rollouts];

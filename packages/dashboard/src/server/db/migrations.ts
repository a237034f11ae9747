import { rolledMinutesSql } from '../metrics/rollup';
import { AGGREGATE_KEY } from '../metrics/upsert';

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

/** Audited since migration 6; a later migration that rewrites the action check must keep these. */
export const ENVIRONMENT_AUDITED = ['environment.create', 'flag.promote'];

// A copy of a production flag, switched off and at version 1 of its new environment.
const offCopy = `jsonb_set(jsonb_set(definition, '{enabled}', 'false'), '{version}', '1')`;

const environments: Migration = {
  version: 6,
  name: 'development and staging beside production: an order for promotion, production protected, every flag copied (off)',
  statements: [
    'alter table audit_log drop constraint audit_log_action_check',
    `alter table audit_log add constraint audit_log_action_check check (action in (${[...AUDITED, ...ROLLOUT_AUDITED, ...ENVIRONMENT_AUDITED].map((a) => `'${a}'`).join(', ')}))`,
    // Promotion goes from an environment to the next by position; protected ones need a higher role.
    'alter table environments add column position integer',
    'alter table environments add column protected boolean not null default false',
    `update environments set position = 300, protected = true where key = 'production'`,
    `insert into environments (key, name, position) values ('development', 'Development', 100), ('staging', 'Staging', 200)
      on conflict (key) do nothing`,
    // Any environment created by hand before this migration goes before production, in key order.
    `update environments e set position = 200 + o.n from (select key, row_number() over (order by key) as n from environments
      where position is null) o where e.key = o.key`,
    'alter table environments alter column position set not null',
    ...['development', 'staging'].flatMap((environment) => [
      `insert into segments (environment, key, definition, version) select '${environment}', key, definition, 1 from segments
        where environment = 'production' on conflict do nothing`,
      // The audit entry first: it reads the copies' source rows, which the insert below does not change.
      `insert into audit_log (actor, actor_id, action, environment, flag_key, version, after, note)
        select 'flaglens', 'migration:6', 'flag.create', '${environment}', key, 1, ${offCopy},
        'copied (off) from production when environments arrived' from flags
        where environment = 'production' and not exists (select 1 from flags f where f.environment = '${environment}' and f.key = flags.key)
        order by key`,
      `insert into flags (environment, key, definition, version, updated_by) select '${environment}', key, ${offCopy}, 1, 'flaglens'
        from flags where environment = 'production' on conflict do nothing`,
    ]),
  ],
};

/** Audited since migration 7; a later migration that rewrites the action check must keep these. */
export const LIFECYCLE_AUDITED = ['flag.metadata', 'flag.archive', 'flag.restore'];

const lifecycle: Migration = {
  version: 7,
  name: 'flag debt: owner, tags and kind per flag key; creation date and archiving per flag; code references per repository',
  statements: [
    'alter table audit_log drop constraint audit_log_action_check',
    `alter table audit_log add constraint audit_log_action_check check (action in (${[...AUDITED, ...ROLLOUT_AUDITED, ...ENVIRONMENT_AUDITED, ...LIFECYCLE_AUDITED].map((a) => `'${a}'`).join(', ')}))`,
    // Per key, not per environment: a flag exists in every environment and has one owner. No row = the defaults.
    `create table flag_metadata (
      key text primary key,
      owner text,
      tags text[] not null default '{}',
      kind text not null default 'temporary' check (kind in ('temporary', 'permanent')),
      updated_at timestamptz not null default now(),
      updated_by text not null
    )`,
    'alter table flags add column created_at timestamptz',
    'alter table flags add column archived_at timestamptz',
    // The flag as it exists now was created by its latest flag.create (an earlier one belongs to a deleted namesake).
    `update flags set created_at = coalesce((select max(a.at) from audit_log a where a.environment = flags.environment
      and a.flag_key = flags.key and a.action = 'flag.create'), updated_at)`,
    'alter table flags alter column created_at set default now()',
    'alter table flags alter column created_at set not null',
    // The last scan pushed per repository ('' when the scanner named none); a push replaces the whole row.
    `create table code_ref_scans (
      environment text not null references environments (key),
      repository text not null,
      commit text,
      scanned_at timestamptz not null,
      pushed_at timestamptz not null default now(),
      pushed_by text not null,
      refs jsonb not null,
      primary key (environment, repository)
    )`,
  ],
};

// The alert decision record: a rule's evaluations on a flag whenever the decision changes (repeats are counted on alert_states).
const alertDecisions: Migration = {
  version: 8,
  name: 'alert decision record',
  statements: [
    `create table alert_decisions (
      id bigint generated always as identity primary key,
      rule_id text not null,
      environment text not null references environments (key),
      flag text not null,
      at_ms bigint not null,
      decision text not null,
      status text not null,
      evidence jsonb not null
    )`,
    'create index alert_decisions_by_flag on alert_decisions (environment, flag, rule_id, id desc)',
  ],
};

const FINER_ROLLUPS = [
  { table: 'metric_five_minutes', ms: 5 * 60_000 },
  { table: 'metric_quarter_hours', ms: 15 * 60_000 },
];

const finerRollups: Migration = {
  version: 10,
  name: 'metric aggregates: five-minute and quarter-hour roll-ups between minutes and hours',
  statements: [
    // Compaction reads the minutes of a time range once per coarser level and drops old rows by time; the
    // primary key starts with environment and flag, so without this each pass scanned two days of minutes.
    ...AGGREGATES.map((table) => `create index ${table}_by_bucket on ${table} (bucket_ms)`),
    ...FINER_ROLLUPS.flatMap(({ table, ms }) => [
      `create table ${table} (
      environment text not null references environments (key),
      flag text not null,
      bucket_ms bigint not null,
      metric text not null,
      variant text not null,
      model text not null,
      labels text not null,
      bounds text not null default '',
      value double precision not null,
      histogram_sum double precision,
      buckets double precision[],
      primary key (${AGGREGATE_KEY})
    )`,
      // The minutes already rolled up into hours, so the new level holds all the minute table does.
      `insert into ${table} (${AGGREGATE_KEY}, value, histogram_sum, buckets)
      ${rolledMinutesSql('0', '(select through_ms from metric_rollup)', String(ms))}`,
      `create index ${table}_by_bucket on ${table} (bucket_ms)`,
    ]),
  ],
};

// While an alert fires: since when its condition has stayed clear (the rule's `keepFiringFor` runs from there).
const alertClearSpell: Migration = {
  version: 11,
  name: 'alert states: when a firing condition began to clear',
  statements: ['alter table alert_states add column clear_since_ms bigint'],
};

/** Audited since migration 12; a later migration that rewrites the action check must keep these. */
export const SEGMENT_AUDITED = ['segment.create', 'segment.update', 'segment.delete'];

// A segment's entries name it in their own column: a flag and a segment may share a key, and their histories must not mix.
const segmentWrites: Migration = {
  version: 12,
  name: 'segments written through the API and apply: audited under their own key',
  statements: [
    'alter table audit_log drop constraint audit_log_action_check',
    `alter table audit_log add constraint audit_log_action_check check (action in (${[...AUDITED, ...ROLLOUT_AUDITED, ...ENVIRONMENT_AUDITED, ...LIFECYCLE_AUDITED, ...SEGMENT_AUDITED].map((a) => `'${a}'`).join(', ')}))`,
    'alter table audit_log add column segment_key text',
    'create index audit_log_by_segment on audit_log (environment, segment_key, id desc) where segment_key is not null',
  ],
};

// When an alert's rollback took effect (its flag write committed), which may be long after the alert fired: the
// settle after a rollback runs from there. States whose action was done before keep settling from their firing.
const alertActionDone: Migration = {
  version: 13,
  name: 'alert states: when the action took effect',
  statements: [
    'alter table alert_states add column action_done_ms bigint',
    'update alert_states set action_done_ms = since_ms where action_done',
  ],
};

/** Every migration, oldest first. Append new ones; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  metrics,
  alerts,
  histogramRows,
  rollouts,
  environments,
  lifecycle,
  alertDecisions,
  finerRollups,
  alertClearSpell,
  segmentWrites,
  alertActionDone,
];

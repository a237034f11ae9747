import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminTokenOf, freePort, type RunningPlane, startControlPlane } from '@flaglens/dashboard/testing';
import { afterAll, beforeAll } from 'vitest';
import { managementCall } from '../control-plane/admin.js';
import { type Delivery, startReceiver, type WebhookReceiver } from './receiver.js';
import { type SimulatedService, startService } from './service.js';

/** Polls `probe` every 100 ms until it returns a value; rejects after `timeoutMs`. */
export async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `GET /flags/{key}/alerts`, as far as the tests read it. */
export interface AlertsView {
  states: {
    rule: string;
    status: string;
    evaluatedAt: string;
    decisions: Record<string, number>;
    evidence: { decision: string; summary: string };
  }[];
  decisions: { rule: string; decision: string; status: string }[];
  events: { from: string; to: string; incident: string | null }[];
}

type RuleState = AlertsView['states'][number];

/** How many times the engine has judged a rule: grows by one each evaluation. */
export const evaluationsOf = (state: RuleState | undefined): number => Object.values(state?.decisions ?? {}).reduce((a, b) => a + b, 0);

/** The pages a receiver got (test notifications left out). */
export const pagesOf = (receiver: WebhookReceiver | undefined): Delivery[] =>
  receiver?.deliveries.filter((d) => d.body.phase !== 'test') ?? [];

/** A string flag giving each of `variants` (variant → model) an equal share of users; the first is what the kill switch serves. */
export function evenSplit(variants: Readonly<Record<string, string>>) {
  const names = Object.keys(variants);
  return {
    type: 'string',
    variants,
    offVariant: names[0],
    fallthrough: { split: { arms: names.map((variant) => ({ variant, weight: 10_000 / names.length })) } },
  };
}

/** Two variants of a model, half the users each, control what the kill switch serves. */
export const halfAndHalf = evenSplit({ control: 'model-control', candidate: 'model-candidate' });

/** The regression most rules here page on: the candidate's p95 latency more than 50% above control's. */
export const p95AboveControl = {
  figure: { kind: 'latency', quantile: 'p95' },
  comparison: { type: 'relative', op: 'above', by: 50, unit: 'percent' },
};

/** The first `probe-N` user the flag's split sends to the candidate: the probe for "the SDK serves control". */
export function candidateUser(service: SimulatedService, flag: string): { targetingKey: string } {
  let probe = 0;
  while (service.client.evaluate(flag, { targetingKey: `probe-${probe}` }, 'x').variant !== 'candidate') probe++;
  return { targetingKey: `probe-${probe}` };
}

/** Asks the service's SDK every 5 ms what `user` gets; `at()` is when it first got control (0 until then). */
export function watchForControl(service: SimulatedService, flag: string, user: { targetingKey: string }): { at(): number; stop(): void } {
  let at = 0;
  const timer = setInterval(() => {
    if (!at && service.client.evaluate(flag, user, 'x').variant === 'control') at = Date.now();
  }, 5);
  return { at: () => at, stop: () => clearInterval(timer) };
}

/**
 * A control plane on a throwaway PGlite folder with the alert engine on a compressed interval and private
 * webhooks allowed, plus the management calls the alert tests make with its admin token. `restart` brings
 * it back on the same folder and port (after SIGTERM, or SIGKILL as a crash would).
 */
export interface AlertsPlane {
  readonly plane: RunningPlane;
  readonly adminToken: string;
  api<T = Record<string, unknown>>(method: string, path: string, body?: object): Promise<T>;
  restart(how: 'stop' | 'kill'): Promise<void>;
  close(): Promise<void>;
}

export async function startAlertsPlane(prefix: string, intervalMs: number): Promise<AlertsPlane> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  // An empty DATABASE_URL keeps a PostgreSQL URL from the environment from replacing the throwaway PGlite.
  const env = {
    FLAGLENS_DATA_DIR: dataDir,
    DATABASE_URL: '',
    FLAGLENS_ALERT_INTERVAL: `${intervalMs}ms`,
    FLAGLENS_WEBHOOK_ALLOW_PRIVATE: '1',
  };
  const port = await freePort();
  let plane: RunningPlane | undefined;
  try {
    plane = await startControlPlane(env, 90_000, port);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const adminToken = adminTokenOf(plane);
  const running = () => {
    if (!plane) throw new Error('the control plane is not running');
    return plane;
  };
  return {
    get plane() {
      return running();
    },
    adminToken,
    api<T>(method: string, path: string, body?: object) {
      return managementCall<T>(running().url, adminToken, { method, path, body });
    },
    async restart(how) {
      const old = running();
      plane = undefined;
      await (how === 'kill' ? old.kill() : old.stop());
      plane = await startControlPlane(env, 90_000, port);
    },
    async close() {
      await plane?.stop();
      plane = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One alerts plane for a test file, an SDK key on it, and what its tests start, all closed after the file. */
export interface AlertsSuite {
  readonly alerts: AlertsPlane;
  readonly sdkKey: string;
  /** `alerts.api`, on whichever plane is running. */
  api: AlertsPlane['api'];
  /** A receiver, a generic channel pointing at it (its secret handed over), and the channel's id. */
  channelTo(name: string): Promise<{ receiver: WebhookReceiver; channel: string }>;
  /** A simulated service sending traffic on `flag` with the suite's SDK key. */
  service(flag: string): Promise<SimulatedService>;
  /** The rule's current state on the flag, as `GET /flags/{key}/alerts` shows it. */
  stateOf(flag: string, rule: string): Promise<RuleState | undefined>;
  /** Waits (30 s at most) until the engine has judged the rule `ok`: enough healthy data, no breach. */
  untilHealthy(flag: string, rule: string): Promise<void>;
}

/** Call at a test file's top level: starts the plane in `beforeAll` and closes everything in `afterAll`. */
export function useAlertsSuite(prefix: string, intervalMs: number, sdkKeyName = 'alerts e2e service'): AlertsSuite {
  let alerts: AlertsPlane | undefined;
  let sdkKey = '';
  const receivers: WebhookReceiver[] = [];
  const services: SimulatedService[] = [];
  const started = () => {
    if (!alerts) throw new Error('the alerts plane did not start');
    return alerts;
  };
  const stateOf = async (flag: string, rule: string) =>
    (await started().api<AlertsView>('GET', `/flags/${flag}/alerts`)).states.find((s) => s.rule === rule);

  beforeAll(async () => {
    alerts = await startAlertsPlane(prefix, intervalMs);
    sdkKey = String((await alerts.api('POST', '/tokens', { name: sdkKeyName, kind: 'sdk' })).token);
  }, 120_000);

  afterAll(async () => {
    for (const service of services) await service.close().catch(() => {});
    await alerts?.close();
    for (const receiver of receivers) await receiver.close();
  }, 30_000);

  return {
    get alerts() {
      return started();
    },
    get sdkKey() {
      return sdkKey;
    },
    api<T>(method: string, path: string, body?: object) {
      return started().api<T>(method, path, body);
    },
    async channelTo(name) {
      const receiver = await startReceiver();
      receivers.push(receiver);
      const created = await started().api<{ id: string; secret: string }>('POST', '/webhooks', {
        name,
        format: 'generic',
        url: receiver.url,
      });
      receiver.setSecret(created.secret);
      return { receiver, channel: created.id };
    },
    async service(flag) {
      const service = await startService({ url: started().plane.url, sdkKey, flag });
      services.push(service);
      return service;
    },
    stateOf,
    async untilHealthy(flag, rule) {
      await poll(async () => ((await stateOf(flag, rule))?.evidence.decision === 'ok' ? true : undefined), 30_000, `${flag}: a healthy ok`);
    },
  };
}

import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./fixtures/evaluating-service.mjs', import.meta.url));

/** What fixtures/evaluating-service.mjs has counted since it became ready. */
export interface ServiceReport {
  evaluations: number;
  thrown: number;
  /** Evaluations whose reason was `ERROR`. */
  errors: number;
  /** How often each variant was served. */
  variants: Record<string, number>;
  /** Each variant served in turn, with the wall-clock time (Date.now()) it was first served. */
  variantChanges: { variant: string; at: number }[];
  /** The client's status in turn, with the wall-clock time it was first seen. */
  statusChanges: { status: string; at: number }[];
  /** Each attempt to open the flag stream: when it started (Date.now()) and whether the server took it. */
  streamAttempts: { at: number; opened: boolean }[];
  /** Longest time between two evaluations: shows whether anything blocked the event loop. */
  longestGapMs: number;
  /** What the client logged. */
  logged: string[];
}

/** A service process evaluating flags in a tight loop. */
export interface EvaluatingService {
  report(): Promise<ServiceReport>;
  /** SIGTERM, then SIGKILL after 3 s; resolves once it has exited. */
  stop(): Promise<void>;
}

const isMessage = (message: unknown, type: string): boolean =>
  typeof message === 'object' && message !== null && 'type' in message && message.type === type;

async function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  const timeout = new Promise<false>((resolve) => setTimeout(resolve, timeoutMs, false).unref());
  return Promise.race([once(child, 'exit').then(() => true), timeout]);
}

/** Waits for the child's next message of `type`; rejects if it exits first or `timeoutMs` passes. */
function nextMessage(child: ChildProcess, type: string, timeoutMs: number, output: () => string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: unknown): void => {
      if (!isMessage(message, type)) return;
      done();
      resolve(message);
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`the service exited (${code}) before sending "${type}":\n${output()}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no "${type}" from the service within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Forks the service and resolves once its FlagClient is ready and the loop runs. */
export async function startEvaluatingService(env: Record<string, string>): Promise<EvaluatingService> {
  const child = fork(SCRIPT, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let printed = '';
  const collect = (chunk: Buffer): void => {
    printed += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const output = () => printed;
  const service: EvaluatingService = {
    async report() {
      if (!child.connected) throw new Error(`the service is gone:\n${output()}`);
      const reply = nextMessage(child, 'report', 5_000, output);
      child.send({ type: 'report' });
      return (await reply) as ServiceReport;
    },
    async stop() {
      child.kill('SIGTERM');
      if (await exited(child, 3_000)) return;
      child.kill('SIGKILL');
      await exited(child, 3_000);
    },
  };
  try {
    await nextMessage(child, 'ready', 15_000, output);
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}

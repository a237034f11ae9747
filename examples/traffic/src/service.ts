import type { Applicant } from '@flaglens/example-express-inference/data';
import type { Faults } from './scenarios.js';

/** What `POST /score` answers. */
export interface Scored {
  readonly score: number;
  readonly decision: 'approve' | 'decline';
  readonly predictionId: string;
  readonly variant: string;
}

const TIMEOUT_MS = 5_000;

/** A non-2xx answer or a failed request, with what the service said. */
export class ServiceError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${path}: ${status === 0 ? detail : `${status} ${detail}`}`);
  }
}

/** The credit-risk service's HTTP API, as the traffic generator uses it. */
export class RiskService {
  constructor(readonly base: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new ServiceError(path, 0, error instanceof Error ? error.message : String(error));
    }
    const text = await response.text();
    if (!response.ok) throw new ServiceError(path, response.status, text.slice(0, 200));
    return JSON.parse(text) as T;
  }

  score(userId: string, applicant: Applicant): Promise<Scored> {
    return this.call('POST', '/score', { userId, ...applicant });
  }

  /** Ground truth for an earlier prediction; false when the service no longer knows it. */
  async feedback(predictionId: string, defaulted: boolean): Promise<boolean> {
    try {
      return (await this.call<{ matched: boolean }>('POST', '/feedback', { predictionId, defaulted })).matched;
    } catch (error) {
      if (error instanceof ServiceError && error.status === 404) return false;
      throw error;
    }
  }

  async convert(userId: string, value: number): Promise<void> {
    await this.call('POST', '/convert', { userId, value });
  }

  /** Replaces the service's faults (it must run with `FAULT_INJECTION=1`). */
  setFaults(faults: Faults): Promise<void> {
    return this.faultSwitch('PUT', faults);
  }

  clearFaults(): Promise<void> {
    return this.faultSwitch('DELETE');
  }

  private async faultSwitch(method: string, body?: Faults): Promise<void> {
    try {
      await this.call(method, '/admin/faults', body);
    } catch (error) {
      if (error instanceof ServiceError && error.status === 404) {
        throw new ServiceError('/admin/faults', 404, 'the service has no fault switch: start it with FAULT_INJECTION=1');
      }
      throw error;
    }
  }

  async healthy(): Promise<boolean> {
    return this.call<{ status: string }>('GET', '/healthz').then(
      (h) => h.status === 'ok',
      () => false,
    );
  }
}

'use client';

import { useEffect, useState } from 'react';
import { type ApiProblem, asProblem, inPageEnvironment } from '../api';
import { type CompareResponse, compareUrl, type WindowName } from './response';

/** Metrics are pushed every 15 s, so polling faster would only redraw the same minute. */
export const REFRESH_MS = 15_000;

export interface ComparisonState {
  data?: CompareResponse;
  /** The window `data` belongs to; while a new window loads, the old data stays on screen. */
  dataWindow?: WindowName;
  problem?: ApiProblem;
  loading: boolean;
  /** When the server last answered (200 or 304), epoch ms. */
  checkedAt?: number;
  /** True while the tab is hidden: no requests are made. */
  paused: boolean;
}

/**
 * The comparison of one flag over one window, refreshed every 15 s while `live` and the tab is visible.
 * A refresh sends `If-None-Match` with the last ETag, so an unchanged window costs a 304 and no redraw.
 */
export function useComparison(flag: string, window: WindowName, live: boolean): ComparisonState {
  const [state, setState] = useState<ComparisonState>({ loading: true, paused: false });

  useEffect(() => {
    const url = inPageEnvironment(compareUrl(flag, window));
    const controller = new AbortController();
    let etag: string | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const schedule = () => {
      clearTimeout(timer);
      if (live && !document.hidden) timer = setTimeout(load, REFRESH_MS);
    };

    async function load() {
      setState((s) => ({ ...s, loading: s.dataWindow !== window }));
      try {
        const response = await fetch(url, {
          headers: etag ? { 'if-none-match': etag } : {},
          credentials: 'same-origin',
          cache: 'no-store',
          signal: controller.signal,
        });
        if (response.status === 304) {
          setState((s) => ({ ...s, loading: false, checkedAt: Date.now(), problem: undefined }));
        } else if (response.ok) {
          etag = response.headers.get('etag') ?? undefined;
          const data = (await response.json()) as CompareResponse;
          setState((s) => ({ ...s, data, dataWindow: window, loading: false, checkedAt: Date.now(), problem: undefined }));
        } else {
          const problem = asProblem(response.status, await response.json().catch(() => undefined));
          setState((s) => ({ ...s, loading: false, problem }));
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        const message = error instanceof Error ? error.message : String(error);
        setState((s) => ({
          ...s,
          loading: false,
          problem: { status: 0, code: 'network', message: `could not reach the server (${message})`, details: null },
        }));
      }
      if (!controller.signal.aborted) schedule();
    }

    // A hidden tab stops polling; coming back refreshes at once, then resumes the schedule.
    const onVisibility = () => {
      setState((s) => ({ ...s, paused: document.hidden }));
      if (document.hidden) clearTimeout(timer);
      else void load();
    };
    document.addEventListener('visibilitychange', onVisibility);
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [flag, window, live]);

  return state;
}

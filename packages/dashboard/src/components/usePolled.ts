'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiProblem, callApi } from './api';

export interface Polled<T> {
  data?: T;
  problem?: ApiProblem;
  loading: boolean;
  /** Reads again now (after a change the page made itself). */
  reload(): Promise<void>;
}

/**
 * A management API resource, read on mount and every `everyMs` while the tab is visible, so a page shows the
 * engine's decisions as they are made. The last good answer stays on screen while a refresh fails.
 */
export function usePolled<T>(path: string, everyMs: number): Polled<T> {
  const [state, setState] = useState<Omit<Polled<T>, 'reload'>>({ loading: true });
  const current = useRef(path);
  current.current = path;

  const reload = useCallback(async () => {
    const result = await callApi<T>('GET', path);
    // An answer for a path the component has since left is dropped.
    if (current.current !== path) return;
    setState((s) => (result.ok ? { data: result.data, loading: false } : { ...s, problem: result.problem, loading: false }));
  }, [path]);

  useEffect(() => {
    void reload();
    const timer = setInterval(() => {
      if (!document.hidden) void reload();
    }, everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs]);

  return { ...state, reload };
}

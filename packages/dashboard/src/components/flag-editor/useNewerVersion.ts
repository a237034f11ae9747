'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditEntry } from '@/src/server/audit/log';
import type { StoredFlag } from '@/src/server/flags/store';
import { callApi } from '../api';

/** The flag as stored now, newer than the version being edited, and the audit entries of the versions since, newest first. */
export interface NewerVersion {
  stored: StoredFlag;
  entries: AuditEntry[];
}

// Rollout steps and alert rollbacks come from the server at any time; a few seconds' delay shows them promptly.
const WATCH_MS = 4_000;
// More versions than this while one edit is open is a story the page's history tells better.
const AUDIT_LIMIT = 20;

/**
 * Watches a flag while it is edited at `editing` (undefined: a new flag, nothing to watch): every WATCH_MS
 * while the tab is visible it reads the stored flag and, once that is newer, the audit entries since, so the
 * editor can say who changed it and carry the edits over. `check` reads now (after a refused save). When the
 * flag is no longer what the server-rendered `page` shows (version, archived), the page is read again.
 */
export function useNewerVersion(key: string, editing: number | undefined, page: Pick<StoredFlag, 'version' | 'archivedAt'> | undefined) {
  const router = useRouter();
  const { version: pageVersion, archivedAt: pageArchivedAt } = page ?? {};
  const [latest, setLatest] = useState<StoredFlag | null>(null);
  const [newer, setNewer] = useState<NewerVersion | null>(null);
  const known = useRef<{ since: number; found: NewerVersion } | null>(null);
  const current = useRef(editing);
  current.current = editing;

  const check = useCallback(async (): Promise<NewerVersion | null> => {
    if (editing === undefined) return null;
    const path = `/api/v1/flags/${encodeURIComponent(key)}`;
    const flag = await callApi<StoredFlag>('GET', path);
    // An answer for a version the editor has since left is dropped; a failed read changes nothing.
    if (!flag.ok || current.current !== editing) return null;
    setLatest(flag.data);
    if (flag.data.version <= editing) {
      setNewer(null);
      return null;
    }
    const cached = known.current;
    if (cached?.since === editing && cached.found.stored.version === flag.data.version) {
      setNewer(cached.found);
      return cached.found;
    }
    const audit = await callApi<{ entries: AuditEntry[] }>('GET', `${path}/audit?limit=${AUDIT_LIMIT}`);
    if (current.current !== editing) return null;
    const entries = audit.ok ? audit.data.entries.filter((entry) => entry.version !== null && entry.version > editing) : [];
    const found = { stored: flag.data, entries };
    known.current = { since: editing, found };
    setNewer(found);
    return found;
  }, [key, editing]);

  useEffect(() => {
    if (editing === undefined) return;
    void check();
    const timer = setInterval(() => {
      if (!document.hidden) void check();
    }, WATCH_MS);
    return () => clearInterval(timer);
  }, [check, editing]);

  // "Serving now", the history and the archived banner are server-rendered: read them again when the flag moves.
  useEffect(() => {
    if (latest && pageVersion !== undefined && (latest.version !== pageVersion || latest.archivedAt !== pageArchivedAt)) router.refresh();
  }, [latest, pageVersion, pageArchivedAt, router]);

  return { newer, check };
}

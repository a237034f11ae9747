'use client';

import { useEffect, useId } from 'react';
import type { Environment } from '@/src/server/environments/store';

// Same name as the server's ENVIRONMENT_COOKIE; a year, so the choice survives sign-outs.
const COOKIE = 'flaglens_env';
const YEAR_SECONDS = 365 * 24 * 60 * 60;

function remember(key: string) {
  // biome-ignore lint/suspicious/noDocumentCookie: one fixed name, the value URI-encoded; cookieStore is not in every browser yet
  document.cookie = `${COOKIE}=${encodeURIComponent(key)}; path=/; max-age=${YEAR_SECONDS}; samesite=lax`;
}

const remembered = () =>
  document.cookie
    .split('; ')
    .find((part) => part.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);

/**
 * Chooses the environment every console page and API call acts on. The choice is a cookie the server
 * reads; reloading shows the new environment's state everywhere, including in open editors. A tab
 * coming back into use claims the cookie back for the environment its header shows, so a switch made
 * in another tab never makes this one's next page show (and its header hide) another environment.
 */
export function EnvironmentSwitcher({ environments, current }: { environments: Environment[]; current: string }) {
  const id = useId();
  function choose(key: string) {
    remember(key);
    window.location.reload();
  }
  useEffect(() => {
    const claim = () => {
      if (!document.hidden && remembered() !== encodeURIComponent(current)) remember(current);
    };
    window.addEventListener('focus', claim);
    document.addEventListener('visibilitychange', claim);
    return () => {
      window.removeEventListener('focus', claim);
      document.removeEventListener('visibilitychange', claim);
    };
  }, [current]);
  return (
    <span className="env-switcher">
      <label htmlFor={id}>Environment</label>
      <select id={id} value={current} onChange={(event) => choose(event.target.value)}>
        {environments.map((environment) => (
          <option key={environment.key} value={environment.key}>
            {environment.name}
            {environment.protected ? ' (protected)' : ''}
          </option>
        ))}
      </select>
    </span>
  );
}

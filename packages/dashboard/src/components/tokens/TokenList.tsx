'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TokenInfo } from '@/src/server/auth/tokens';
import { callApi, describeProblem } from '../api';

/** Live tokens with a two-step revoke: the first press asks, the second revokes and ends its sessions. */
export function TokenList({ tokens, selfId }: { tokens: TokenInfo[]; selfId: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [message, setMessage] = useState('');

  async function revoke(token: TokenInfo) {
    const result = await callApi('DELETE', `/api/v1/tokens/${encodeURIComponent(token.id)}`);
    setConfirming(null);
    if (!result.ok) {
      setMessage(
        result.problem.code === 'last_admin'
          ? 'This is the last admin token: create another admin token first.'
          : describeProblem(result.problem, 'Not revoked'),
      );
      return;
    }
    setMessage(`Revoked “${token.name}”; anything using it is refused from now on.`);
    if (token.id === selfId) window.location.assign('/login');
    else router.refresh();
  }

  return (
    <section aria-labelledby="token-list">
      <h2 id="token-list">Live tokens and SDK keys</h2>
      <div role="status" aria-live="polite">
        {message && <p>{message}</p>}
      </div>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Starts with</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <th scope="row">
                {token.name}
                {token.id === selfId && <span className="hint"> (you)</span>}
              </th>
              <td>{token.kind === 'sdk' ? `SDK key (${token.environment})` : token.role}</td>
              <td>
                <code>{token.prefix}…</code>
              </td>
              <td className="hint">
                {token.createdAt.slice(0, 16).replace('T', ' ')} UTC by {token.createdBy}
              </td>
              <td>
                {confirming === token.id ? (
                  <span className="row">
                    <button type="button" className="danger" onClick={() => revoke(token)}>
                      Revoke {token.name} now
                    </button>
                    <button type="button" onClick={() => setConfirming(null)}>
                      Cancel
                    </button>
                  </span>
                ) : (
                  <button type="button" onClick={() => setConfirming(token.id)} aria-label={`Revoke ${token.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

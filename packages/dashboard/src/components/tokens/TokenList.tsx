'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TokenInfo } from '@/src/server/auth/tokens';
import { callApi, describeProblem } from '../api';
import { type Status, StatusLine } from '../StatusLine';
import { UtcTime } from '../Time';
import { TwoStepButton } from '../TwoStepButton';

/** Live tokens with a two-step revoke: the first press asks, the second revokes and ends its sessions. */
export function TokenList({ tokens, selfId }: { tokens: TokenInfo[]; selfId: string }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>(null);

  async function revoke(token: TokenInfo) {
    const result = await callApi('DELETE', `/api/v1/tokens/${encodeURIComponent(token.id)}`);
    if (!result.ok) {
      const text =
        result.problem.code === 'last_admin'
          ? 'Not revoked: this is the last admin token; create another admin token first.'
          : describeProblem(result.problem, 'Not revoked');
      setStatus({ tone: 'error', text });
      return;
    }
    setStatus({ tone: 'ok', text: `Revoked “${token.name}”; anything using it is refused from now on.` });
    if (token.id === selfId) window.location.assign('/login');
    else router.refresh();
  }

  return (
    <section aria-labelledby="token-list">
      <h2 id="token-list">Live tokens and SDK keys</h2>
      <StatusLine status={status} />
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
                <UtcTime at={token.createdAt} /> by {token.createdBy}
              </td>
              <td>
                <TwoStepButton
                  label="Revoke"
                  ariaLabel={`Revoke ${token.name}`}
                  confirmLabel={`Revoke ${token.name} now`}
                  busyLabel="Revoking…"
                  onConfirm={() => revoke(token)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

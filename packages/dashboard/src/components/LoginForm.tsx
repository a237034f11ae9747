'use client';

import { useState } from 'react';
import { callApi, describeProblem } from './api';

/** Exchanges a pasted token for a session cookie, then opens the page the visitor wanted. */
export function LoginForm({ next }: { next: string }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function signIn(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError('');
    const result = await callApi('POST', '/api/v1/session', { body: { token: token.trim() } });
    setBusy(false);
    if (result.ok) {
      // A full load, so every server component renders with the new cookie.
      window.location.assign(next);
      return;
    }
    const { status, code } = result.problem;
    if (status === 401) setError('That token is unknown or has been revoked. Check that you pasted all of it.');
    else if (status === 403 && code === 'forbidden') setError('SDK keys cannot sign in: use a management token (viewer, editor or admin).');
    else setError(describeProblem(result.problem, 'Not signed in'));
  }

  return (
    <form onSubmit={signIn} className="narrow" aria-label="Sign in">
      <div className="field">
        <label htmlFor="token">Management token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          style={{ width: '100%' }}
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-describedby="token-hint"
          required
        />
        <p className="hint" id="token-hint">
          Paste a token (fl_admin_…, fl_editor_…, fl_viewer_…). The first admin token is printed once when the control plane first starts.
        </p>
      </div>
      <button type="submit" className="primary" disabled={busy || token.trim() === ''}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <div role="alert" className="status error">
        {error}
      </div>
    </form>
  );
}

/** Ends the session on the server, then shows the login page. */
export function LogoutButton() {
  return (
    <button
      type="button"
      className="link"
      onClick={async () => {
        await callApi('DELETE', '/api/v1/session');
        window.location.assign('/login');
      }}
    >
      Sign out
    </button>
  );
}

import { describe, expect, it } from 'vitest';
import { asProblem, describeProblem } from './api';

describe('problems in words', () => {
  it('says what did not happen before the server’s words', () => {
    const problem = asProblem(404, { error: { code: 'not_found', message: 'no rollout plan for ui-model', details: null } });
    expect(describeProblem(problem)).toBe('Not saved: no rollout plan for ui-model.');
    expect(describeProblem(problem, 'Could not read the rollout')).toBe('Could not read the rollout: no rollout plan for ui-model.');
    expect(describeProblem(problem, 'Not deleted')).toBe('Not deleted: no rollout plan for ui-model.');
  });

  it('speaks of the session, a missing role and a refused forgery the same way whatever failed', () => {
    expect(describeProblem(asProblem(401, undefined), 'Could not read the alerts')).toBe(
      'Your session has ended. Sign in again to continue.',
    );
    const forbidden = asProblem(403, { error: { code: 'forbidden', message: 'needs the admin role', details: null } });
    expect(describeProblem(forbidden, 'Not promoted')).toBe('You are not allowed to do this: needs the admin role.');
    expect(describeProblem(asProblem(403, { error: { code: 'csrf', message: 'bad token' } }))).toMatch(/cross-site forgery/);
  });

  it('makes a problem of a body that is not the API’s error shape', () => {
    expect(asProblem(502, '<html>Bad gateway</html>')).toEqual({
      status: 502,
      code: 'http_error',
      message: 'the server answered 502',
      details: null,
    });
  });
});

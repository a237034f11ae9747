import { forbidden, unauthorized } from '../http/errors';
import type { Principal } from './principal';

export const ROLES = ['viewer', 'editor', 'admin'] as const;
/** Management roles, each including the ones before it: viewer < editor < admin. */
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

interface Rule {
  /** Lowest management role allowed; absent means no credentials are needed. */
  role?: Role;
  /** Whether an SDK key may call it too (SDK keys hold no role). */
  sdk?: boolean;
  /** SDK keys only: management tokens are refused whatever their role (metric pushes belong to services). */
  sdkOnly?: boolean;
}

/** Who may do what: every endpoint names one of these permissions, and nothing else decides access. */
export const POLICY = {
  'session.login': {},
  'session.logout': {},
  'flags.read-set': { role: 'viewer', sdk: true },
  'flags.read': { role: 'viewer' },
  'flags.write': { role: 'editor' },
  'flags.rollback': { role: 'editor' },
  'flags.archive': { role: 'editor' },
  'segments.read': { role: 'viewer' },
  'segments.write': { role: 'editor' },
  'code-refs.read': { role: 'viewer' },
  'code-refs.write': { role: 'editor' },
  // Into a protected environment it also needs promoteProtectedRole(); see authorizeRole.
  'flags.promote': { role: 'editor' },
  'environments.read': { role: 'viewer' },
  'environments.manage': { role: 'admin' },
  'audit.read': { role: 'viewer' },
  'flagset.export': { role: 'viewer' },
  'flagset.apply': { role: 'editor' },
  'tokens.manage': { role: 'admin' },
  'metrics.push': { role: 'admin', sdk: true, sdkOnly: true },
  'alerts.read': { role: 'viewer' },
  'alerts.write': { role: 'editor' },
  'rollouts.read': { role: 'viewer' },
  'rollouts.write': { role: 'editor' },
  'webhooks.read': { role: 'viewer' },
  'webhooks.manage': { role: 'admin' },
  'metrics.scrape': { role: 'viewer' },
} as const satisfies Record<string, Rule>;

export type Permission = keyof typeof POLICY;

/** Throws 401 when credentials are needed and missing, 403 when they are not enough. */
export function authorize(permission: Permission, principal: Principal | null): void {
  const rule: Rule = POLICY[permission];
  if (!rule.role) return;
  if (!principal) throw unauthorized();
  if (principal.kind === 'sdk') {
    if (rule.sdk) return;
    throw forbidden('SDK keys may only read flags and push metrics');
  }
  if (rule.sdkOnly) throw forbidden('only SDK keys may call this; management tokens cannot');
  authorizeRole(principal, rule.role, 'this');
}

/** Throws 403 unless a management caller holds at least `role`, saying what it was for. */
export function authorizeRole(principal: Principal, role: Role, purpose: string): void {
  if (principal.kind === 'sdk') throw forbidden('SDK keys may only read flags and push metrics');
  if (ROLES.indexOf(principal.role) < ROLES.indexOf(role)) {
    throw forbidden(`${purpose} needs the ${role} role; the token has ${principal.role}`);
  }
}

/** The lowest role that may promote into a protected environment: `FLAGLENS_PROMOTE_PROTECTED_ROLE`, default admin. */
export function promoteProtectedRole(env: NodeJS.ProcessEnv = process.env): Role {
  const value = env.FLAGLENS_PROMOTE_PROTECTED_ROLE;
  if (value === undefined || value === '') return 'admin';
  if (!isRole(value)) throw new Error(`FLAGLENS_PROMOTE_PROTECTED_ROLE must be one of ${ROLES.join(', ')}; got ${JSON.stringify(value)}`);
  return value;
}

import { type Attributes, type Context, context, createContextKey } from '@opentelemetry/api';
import { DEFAULT_PROVIDER_NAME } from '../semconv.js';
import { type Assignment, assignmentAttributes } from './assignment.js';

/** What a context carries: the assignments, innermost last, and their span attributes computed once. */
interface ActiveAssignments {
  readonly assignments: readonly Assignment[];
  readonly attributes: Attributes;
  /** Shared by every binding inside the outermost one: what belongs to the request as a whole. */
  readonly request?: RequestTally;
}

/** Per request: business-event value so far by series key, so Σ value² can count the request's whole value. */
export interface RequestTally {
  eventValues?: Map<string, number>;
}

// createContextKey uses Symbol.for, so two copies of this package in one process share the key.
const KEY = createContextKey('flaglens.assignments');

/**
 * Returns a context carrying `assignments` on top of those already in `parent`; a flag assigned
 * again moves to the innermost position with its new variant.
 */
export function contextWithAssignments(
  parent: Context,
  assignments: readonly Assignment[],
  providerName: string = DEFAULT_PROVIDER_NAME,
): Context {
  if (assignments.length === 0) return parent;
  const added = new Set(assignments.map((a) => a.flagKey));
  const outer = activeIn(parent);
  const kept = (outer?.assignments ?? []).filter((a) => !added.has(a.flagKey));
  const merged = [...kept, ...assignments];
  const request = outer?.request ?? {};
  const value: ActiveAssignments = { assignments: merged, attributes: assignmentAttributes(merged, providerName), request };
  return parent.setValue(KEY, value);
}

/** The assignments active in a context (the current one by default), innermost last. */
export function assignmentsIn(ctx: Context = context.active()): readonly Assignment[] {
  return activeIn(ctx)?.assignments ?? [];
}

/** The tally of the request a context belongs to (the outermost binding of assignments), if any. */
export function requestTallyIn(ctx: Context = context.active()): RequestTally | undefined {
  return activeIn(ctx)?.request;
}

/** The precomputed span attributes of a context's assignments, if it has any. */
export function assignmentAttributesIn(ctx: Context): Attributes | undefined {
  return activeIn(ctx)?.attributes;
}

/**
 * Runs `fn` with `assignments` bound to the OpenTelemetry context, so every span started inside
 * (including by auto-instrumentation) carries them.
 *
 * @example
 * await bindAssignments([{ flagKey: 'ai-model', variant: 'v2' }], () => handle(request));
 */
export function bindAssignments<T>(assignments: readonly Assignment[], fn: () => T, providerName?: string): T {
  return context.with(contextWithAssignments(context.active(), assignments, providerName), fn);
}

function activeIn(ctx: Context): ActiveAssignments | undefined {
  const value = ctx.getValue(KEY);
  // Another copy of this package may have stored the value; trust only its shape.
  return typeof value === 'object' && value !== null && 'assignments' in value ? (value as ActiveAssignments) : undefined;
}

import type { z } from 'zod';
import { FlagValidationError, IssueCollector } from '../model/errors.js';
import { type FlagSet, type FlagSetInput, flagKeySchema, flagSetSchema } from '../model/schema.js';
import type { Context } from '../operators/attribute.js';
import { allOf, type CompiledCondition, compileCondition, type Predicate } from '../operators/condition.js';
import { type CompiledFlag, type CompileFlagOptions, compileFlag } from './flag.js';

/** A validated, compiled flag set. Immutable: a new set replaces it as a whole. */
export interface CompiledFlagSet {
  /** The validated definition (defaults applied). */
  readonly definition: FlagSet;
  readonly flags: ReadonlyMap<string, CompiledFlag>;
}

function problemOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) return 'is required';
  return issue.message;
}

/** Validates a flag set's structure (zod); throws FlagValidationError naming every problem. */
export function parseFlagSet(input: unknown): FlagSet {
  const issues = new IssueCollector();
  const parsed = flagSetSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.add(issue.path, problemOf(issue));
    issues.throwIfAny();
  }
  const definition = parsed.data as FlagSet;
  for (const key of Object.keys(definition.flags)) {
    const check = flagKeySchema.safeParse(key);
    if (!check.success) issues.add(['flags', key], check.error.issues[0]?.message ?? 'invalid flag key');
  }
  issues.throwIfAny();
  return definition;
}

function compileSegments(definition: FlagSet, issues: IssueCollector): Map<string, Predicate> {
  const segments = new Map<string, Predicate>();
  for (const [name, segment] of Object.entries(definition.segments)) {
    const predicates: Predicate[] = [];
    for (const [at, condition] of segment.when.entries()) {
      const predicate = compileCondition(condition, {}, (path, problem) => issues.add(['segments', name, 'when', at, ...path], problem));
      if (predicate) predicates.push(predicate);
    }
    const include = new Set(segment.include ?? []);
    const exclude = new Set(segment.exclude ?? []);
    const conditions = predicates.length > 0 ? allOf(predicates) : () => false;
    segments.set(name, (context: Context) => {
      const key = context.targetingKey as string;
      if (exclude.has(key)) return false;
      return include.has(key) || conditions(context);
    });
  }
  return segments;
}

/**
 * Validates and compiles a whole flag set, all or nothing: any problem throws a
 * FlagValidationError listing every problem with its path, and nothing is returned.
 *
 * @example
 * const set = compileFlagSet({ flags: { 'ai-model': { type: 'string', variants: { v1: 'gpt-a', v2: 'gpt-b' }, fallthrough: { variant: 'v1' } } } });
 */
export function compileFlagSet(input: unknown, options: CompileFlagOptions = {}): CompiledFlagSet {
  const definition = parseFlagSet(input);
  const issues = new IssueCollector();
  const segments = compileSegments(definition, issues);
  const flags = new Map<string, CompiledFlag>();
  const scope = { segments, compiled: new Map<string, CompiledCondition>() };
  for (const [key, flag] of Object.entries(definition.flags)) {
    const compiled = compileFlag(key, flag, scope, (path, problem) => issues.add(['flags', key, ...path], problem), options);
    if (compiled) flags.set(key, compiled);
  }
  issues.throwIfAny();
  return { definition, flags };
}

/** Validates a flag set without keeping the compiled result; lists every problem. */
export function validateFlagSet(input: FlagSetInput | unknown): { ok: true; flagSet: FlagSet } | { ok: false; error: FlagValidationError } {
  try {
    return { ok: true, flagSet: compileFlagSet(input).definition };
  } catch (error) {
    if (error instanceof FlagValidationError) return { ok: false, error };
    throw error;
  }
}

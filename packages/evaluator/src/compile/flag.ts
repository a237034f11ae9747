import { compileJsonLogic } from '../flagd/targeting.js';
import type { Flag, FlagType, JsonValue } from '../model/schema.js';
import type { Context } from '../operators/attribute.js';
import { type CompiledCondition, type ConditionScope, compileConditionParts, type ReportProblem } from '../operators/condition.js';
import { ErrorCode, errorOutcome, type FlagMetadata, type Outcome, outcome, Reason } from './details.js';
import { type CompiledRule, chainRules } from './rule-chain.js';
import { compileServe, type FlagShape, type Server } from './serve.js';

/** A flag ready to evaluate: no parsing or JSON work left for evaluation time. */
export interface CompiledFlag {
  readonly key: string;
  readonly type: FlagType;
  readonly version: number;
  readonly metadata: FlagMetadata;
  /** Decides for a context; never throws for a validated flag. */
  readonly resolve: (context: Context) => Outcome;
}

export interface CompileFlagOptions {
  /** flagd semantics: targeting that does not build yields PARSE_ERROR at evaluation instead of rejecting the set. */
  readonly lenientTargeting?: boolean;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function matchesType(type: FlagType, value: JsonValue): boolean {
  if (type === 'object') return value !== null && typeof value === 'object';
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value);
  return typeof value === type;
}

function jsonLogicResolver(
  flag: FlagShape,
  logic: JsonValue,
  fallthrough: Server,
  report: ReportProblem,
  lenient: boolean,
): ((context: Context) => Outcome) | undefined {
  let run: (context: Context) => unknown;
  try {
    run = compileJsonLogic(logic, flag.key);
  } catch (error) {
    const message = `targeting does not compile: ${(error as Error).message}`;
    if (!lenient) return void report(['targeting', 'jsonLogic'], message);
    const broken = errorOutcome(ErrorCode.PARSE_ERROR, message);
    return () => broken;
  }
  const byVariant = new Map(
    Object.entries(flag.variants).map(([variant, value]) => [variant, outcome({ variant, value, reason: Reason.TARGETING_MATCH })]),
  );
  return (context) => {
    const result = run(context);
    if (result === null || result === undefined) return fallthrough(context);
    const variant = typeof result === 'boolean' ? String(result) : result;
    if (typeof variant !== 'string')
      return errorOutcome(ErrorCode.GENERAL, `targeting returned ${JSON.stringify(result)}, not a variant name`);
    return byVariant.get(variant) ?? errorOutcome(ErrorCode.GENERAL, `targeting returned unknown variant ${JSON.stringify(variant)}`);
  };
}

/** Compiles one validated flag, reporting every problem it finds; undefined when there were any. */
export function compileFlag(
  key: string,
  flag: Flag,
  scope: ConditionScope,
  report: ReportProblem,
  options: CompileFlagOptions = {},
): CompiledFlag | undefined {
  let sound = true;
  const problem: ReportProblem = (path, text) => {
    sound = false;
    report(path, text);
  };
  for (const [variant, value] of Object.entries(flag.variants)) {
    if (!matchesType(flag.type, value)) problem(['variants', variant], `a ${flag.type} flag cannot serve ${JSON.stringify(value)}`);
  }
  if (Object.keys(flag.variants).length === 0) problem(['variants'], 'a flag needs at least one variant');
  const shape: FlagShape = { key, variants: deepFreeze(structuredClone(flag.variants)), bucketBy: flag.bucketBy };

  let off: Outcome = outcome({ reason: Reason.DISABLED });
  if (flag.offVariant !== undefined) {
    if (Object.hasOwn(flag.variants, flag.offVariant)) {
      off = outcome({ variant: flag.offVariant, value: shape.variants[flag.offVariant], reason: Reason.DISABLED });
    } else problem(['offVariant'], `unknown variant ${JSON.stringify(flag.offVariant)}`);
  }
  const hasTargeting = flag.rules.length > 0 || flag.targeting !== undefined;
  if (flag.rules.length > 0 && flag.targeting) problem(['targeting'], 'use either rules or JsonLogic targeting, not both');

  const rules: CompiledRule[] = [];
  for (const [index, rule] of flag.rules.entries()) {
    const conditions: CompiledCondition[] = [];
    for (const [at, condition] of rule.when.entries()) {
      const compiled = compileConditionParts(condition, scope, (path, text) => problem(['rules', index, 'when', at, ...path], text));
      if (compiled) conditions.push(compiled);
    }
    const site = { ruleIndex: index, ruleId: rule.id, variantReason: Reason.TARGETING_MATCH };
    const serve = compileServe(shape, rule.serve, site, (path, text) => problem(['rules', index, 'serve', ...path], text));
    if (serve) rules.push({ when: conditions, serve });
  }

  const noMatch = outcome({ reason: Reason.DEFAULT });
  const fallthroughSite = { variantReason: hasTargeting ? Reason.DEFAULT : Reason.STATIC };
  const fallthrough: Server | undefined = flag.fallthrough
    ? compileServe(shape, flag.fallthrough, fallthroughSite, (path, text) => problem(['fallthrough', ...path], text))
    : () => noMatch;

  const targeting =
    flag.targeting &&
    fallthrough &&
    jsonLogicResolver(shape, flag.targeting.jsonLogic, fallthrough, problem, options.lenientTargeting ?? false);

  if (!sound || !fallthrough) return undefined;
  const resolve: (context: Context) => Outcome = !flag.enabled ? () => off : (targeting ?? chainRules(rules, fallthrough));
  return {
    key,
    type: flag.type,
    version: flag.version,
    metadata: Object.freeze({ ...flag.metadata }),
    resolve,
  };
}

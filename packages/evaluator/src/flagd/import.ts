import type { z } from 'zod';
import { FlagValidationError, formatPath, IssueCollector } from '../model/errors.js';
import type { FlagInput, FlagSetInput, FlagType, JsonValue } from '../model/schema.js';
import { type FlagdDocument, type FlagdFlag, flagdDocumentSchema } from './document.js';
import { resolveRefs } from './evaluator-refs.js';

/** How {@link importFlagd} treats targeting it cannot resolve. */
export interface ImportFlagdOptions {
  /**
   * true (default): a `$ref` to a missing evaluator rejects the document. false: the flag is
   * kept and evaluates to ERROR / PARSE_ERROR (compile it with `lenientTargeting`), as flagd does.
   */
  readonly strict?: boolean;
}

function kindOf(value: JsonValue): FlagType | 'null' {
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value as FlagType;
}

function problemOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) return 'is required';
  return issue.message;
}

function parseDocument(document: string | object): FlagdDocument {
  let input: unknown = document;
  if (typeof document === 'string') {
    try {
      input = JSON.parse(document);
    } catch (error) {
      throw new FlagValidationError([{ path: '', problem: `not valid JSON: ${(error as Error).message}` }]);
    }
  }
  const parsed = flagdDocumentSchema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new FlagValidationError(parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), problem: problemOf(issue) })));
}

/** The flag type all variant values share, or why there is none. */
function typeOf(variants: Record<string, JsonValue>): { type: FlagType } | { problem: string } {
  const kinds = new Map<FlagType | 'null', string>();
  for (const [name, value] of Object.entries(variants)) if (!kinds.has(kindOf(value))) kinds.set(kindOf(value), name);
  const [first] = kinds.keys();
  if (first === undefined) return { problem: 'a flag needs at least one variant' };
  if (kinds.has('null'))
    return { problem: `variant ${JSON.stringify(kinds.get('null'))} is null; variants serve a boolean, string, number or object` };
  if (kinds.size > 1) {
    const examples = [...kinds].map(([kind, name]) => `${kind} (${JSON.stringify(name)})`).join(', ');
    return { problem: `variants mix types: ${examples}; a flag serves one type` };
  }
  return { type: first as FlagType };
}

function importFlag(key: string, flag: FlagdFlag, document: FlagdDocument, strict: boolean, issues: IssueCollector): FlagInput | undefined {
  const at = (...path: (string | number)[]) => ['flags', key, ...path];
  const before = issues.issues.length;
  const typed = typeOf(flag.variants);
  if ('problem' in typed) issues.add(at('variants'), typed.problem);
  const defaultVariant = flag.defaultVariant ?? undefined;
  if (defaultVariant !== undefined && !Object.hasOwn(flag.variants, defaultVariant))
    issues.add(at('defaultVariant'), `unknown variant ${JSON.stringify(defaultVariant)}`);

  let jsonLogic: JsonValue | undefined;
  // flagd treats an empty targeting object as no targeting: the flag is static.
  if (flag.targeting && Object.keys(flag.targeting).length > 0) {
    const resolved = resolveRefs(flag.targeting, document.$evaluators ?? {});
    if (strict) for (const ref of resolved.unresolved) issues.add(at('targeting', ...ref.path), ref.problem);
    jsonLogic = resolved.logic;
  }
  if (issues.issues.length > before || !('type' in typed)) return undefined;

  const metadata = { ...document.metadata, ...flag.metadata };
  return {
    type: typed.type,
    variants: flag.variants,
    enabled: flag.state === 'ENABLED',
    ...(defaultVariant !== undefined && { fallthrough: { variant: defaultVariant } }),
    ...(jsonLogic !== undefined && { targeting: { jsonLogic } }),
    ...(Object.keys(metadata).length > 0 && { metadata }),
  };
}

/**
 * Turns a flagd flag definition document (JSON text or parsed) into a native flag set:
 * `$ref`s resolved, `state` → `enabled`, `defaultVariant` → `fallthrough`, the type inferred
 * from the variant values, set metadata merged under each flag's. Throws FlagValidationError
 * naming the path of every problem.
 *
 * @example
 * const set = compileFlagSet(importFlagd(readFileSync('flags.flagd.json', 'utf8')));
 */
export function importFlagd(document: string | object, options: ImportFlagdOptions = {}): FlagSetInput {
  const parsed = parseDocument(document);
  const issues = new IssueCollector();
  const flags: Record<string, FlagInput> = {};
  for (const [key, flag] of Object.entries(parsed.flags)) {
    const imported = importFlag(key, flag, parsed, options.strict ?? true, issues);
    if (imported) flags[key] = imported;
  }
  issues.throwIfAny();
  return { flags };
}

import ts from 'typescript';

/**
 * One place a flag key is passed to flaglens or OpenFeature. `--push` sends these as they are: the ref of
 * `PUT /api/v1/code-refs` (dashboard README), which `test/cli/gitops.test.ts` holds both sides to.
 */
export interface CodeRef {
  flag: string;
  /** Relative to the scanned folder, `/`-separated. */
  file: string;
  /** 1-based, of the key's string literal. */
  line: number;
  column: number;
  /**
   * The call that takes the key: `evaluate`, `evaluateFlag`, `getBooleanValue`…, `routeInference`, `recordOutcome`,
   * `trackBusinessEvent`, `withAssignments`, `flaglensMiddleware`, `assignmentMiddleware`, `routingFlags`.
   */
  kind: string;
}

const OPENFEATURE = ['Boolean', 'String', 'Number', 'Object'].flatMap((type) => [`get${type}Value`, `get${type}Details`]);

/** Calls whose argument at `index` is a flag key (or a list of keys), and how many arguments they take at least. */
const KEY_ARGUMENT: Record<string, { index: number; minArgs: number }> = {
  // FlagEvaluator / FlagClient `evaluate(key, context, default)`: three arguments keep `page.evaluate('…')` out.
  evaluate: { index: 0, minArgs: 3 },
  evaluateFlag: { index: 1, minArgs: 4 },
  ...Object.fromEntries(OPENFEATURE.map((name) => [name, { index: 0, minArgs: 2 }])),
  withAssignments: { index: 2, minArgs: 3 },
};

/** Calls (and `new`) with an options object at `index` whose `property` is a key or a list of keys. */
const KEY_PROPERTY: Record<string, { index: number; property: string }> = {
  routeInference: { index: 0, property: 'flag' },
  recordOutcome: { index: 0, property: 'flag' },
  trackBusinessEvent: { index: 2, property: 'flags' },
  flaglensMiddleware: { index: 0, property: 'flags' },
  assignmentMiddleware: { index: 1, property: 'flags' },
  start: { index: 0, property: 'routingFlags' },
  FlagTelemetry: { index: 0, property: 'routingFlags' },
};

function scriptKind(file: string): ts.ScriptKind {
  if (/\.tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(file)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const literalText = (node: ts.Node | undefined): string | undefined =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** `import { routeInference as route }` → route ↦ routeInference, so a renamed import still counts. */
function importedNames(source: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of source.statements) {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) if (element.propertyName) names.set(element.name.text, element.propertyName.text);
  }
  return names;
}

/** The called function's name: `evaluate` for `flags.evaluate(…)`, the imported name for a renamed import. */
function calleeName(callee: ts.Expression, imported: Map<string, string>): string | undefined {
  if (ts.isIdentifier(callee)) return imported.get(callee.text) ?? callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  if (ts.isElementAccessExpression(callee)) return literalText(callee.argumentExpression);
  return undefined;
}

/** The key literals in an options object's property `name` (a string, or an array of strings). */
function propertyKeys(options: ts.Expression | undefined, name: string): ts.Expression[] {
  if (!options || !ts.isObjectLiteralExpression(options)) return [];
  for (const property of options.properties) {
    if (!ts.isPropertyAssignment(property) || propertyName(property.name) !== name) continue;
    return elementsOf(property.initializer);
  }
  return [];
}

const elementsOf = (value: ts.Expression): ts.Expression[] => (ts.isArrayLiteralExpression(value) ? [...value.elements] : [value]);

/** The key literals a call passes, and the kind of reference, if it is one of the calls that take flag keys. */
function keysOfCall(args: readonly ts.Expression[], name: string): { keys: ts.Expression[]; kind: string } {
  const argument = Object.hasOwn(KEY_ARGUMENT, name) ? KEY_ARGUMENT[name] : undefined;
  const key = argument && args.length >= argument.minArgs ? args[argument.index] : undefined;
  if (key) return { keys: elementsOf(key), kind: name };
  const options = Object.hasOwn(KEY_PROPERTY, name) ? KEY_PROPERTY[name] : undefined;
  if (!options) return { keys: [], kind: name };
  return { keys: propertyKeys(args[options.index], options.property), kind: options.property === 'routingFlags' ? 'routingFlags' : name };
}

/**
 * Flag keys passed as string literals (or template literals without substitutions) to the evaluator,
 * the OpenFeature client and the inference wrapper, found on the syntax tree: keys in comments, in other
 * strings, or in variables are not references.
 */
export function findCodeRefs(file: string, text: string): CodeRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const imported = importedNames(source);
  const refs: CodeRef[] = [];
  const visit = (node: ts.Node): void => {
    const name = ts.isCallExpression(node) || ts.isNewExpression(node) ? calleeName(node.expression, imported) : undefined;
    if (name !== undefined) {
      const { keys, kind } = keysOfCall((node as ts.CallExpression | ts.NewExpression).arguments ?? [], name);
      for (const key of keys) {
        const flag = literalText(key);
        if (flag === undefined || flag === '') continue;
        const { line, character } = source.getLineAndCharacterOfPosition(key.getStart(source));
        refs.push({ flag, file, line: line + 1, column: character + 1, kind });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

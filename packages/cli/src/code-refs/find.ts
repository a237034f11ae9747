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
  /** The call that takes the key: `evaluate`, `evaluateFlag`, `getBooleanValue`…, `routeInference`, `recordOutcome`, `routingFlags`. */
  kind: string;
}

const OPENFEATURE = ['Boolean', 'String', 'Number', 'Object'].flatMap((type) => [`get${type}Value`, `get${type}Details`]);

/** Calls whose argument at `index` is a flag key, and how many arguments they take at least. */
const KEY_ARGUMENT: Record<string, { index: number; minArgs: number }> = {
  // FlagEvaluator / FlagClient `evaluate(key, context, default)`: three arguments keep `page.evaluate('…')` out.
  evaluate: { index: 0, minArgs: 3 },
  evaluateFlag: { index: 1, minArgs: 4 },
  ...Object.fromEntries(OPENFEATURE.map((name) => [name, { index: 0, minArgs: 2 }])),
};

/** Calls that take an options object whose `flag` property is a key (the inference wrapper, outcomes). */
const FLAG_PROPERTY = new Set(['routeInference', 'recordOutcome']);
/** Calls that take an options object whose `routingFlags` array lists keys (`start`). */
const ROUTING_FLAGS = new Set(['start']);

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
    const value = property.initializer;
    return ts.isArrayLiteralExpression(value) ? [...value.elements] : [value];
  }
  return [];
}

/** The key literals a call passes, if it is one of the calls that take flag keys. */
function keysOfCall(call: ts.CallExpression, name: string): ts.Expression[] {
  const argument = KEY_ARGUMENT[name];
  if (argument) {
    const key = call.arguments[argument.index];
    return key && call.arguments.length >= argument.minArgs ? [key] : [];
  }
  if (FLAG_PROPERTY.has(name)) return propertyKeys(call.arguments[0], 'flag');
  if (ROUTING_FLAGS.has(name)) return propertyKeys(call.arguments[0], 'routingFlags');
  return [];
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
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression, imported);
      for (const key of name ? keysOfCall(node, name) : []) {
        const flag = literalText(key);
        if (flag === undefined || flag === '') continue;
        const { line, character } = source.getLineAndCharacterOfPosition(key.getStart(source));
        refs.push({
          flag,
          file,
          line: line + 1,
          column: character + 1,
          kind: ROUTING_FLAGS.has(name ?? '') ? 'routingFlags' : (name as string),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

/** flagd's `starts_with`: null unless given exactly two strings, so a bad rule falls through instead of matching "false". */
export function startsWith(args: readonly unknown[]): boolean | null {
  const [text, prefix] = args;
  if (args.length !== 2 || typeof text !== 'string' || typeof prefix !== 'string') return null;
  return text.startsWith(prefix);
}

/** flagd's `ends_with`: null unless given exactly two strings. */
export function endsWith(args: readonly unknown[]): boolean | null {
  const [text, suffix] = args;
  if (args.length !== 2 || typeof text !== 'string' || typeof suffix !== 'string') return null;
  return text.endsWith(suffix);
}

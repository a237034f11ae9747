/** What evaluation reads attributes from: an OpenFeature evaluation context. */
export type Context = Readonly<Record<string, unknown>>;

/** Reads one attribute from a context; dotted names reach into nested objects. */
export type AttributeReader = (context: Context) => unknown;

/** Compiles an attribute name into a reader: a plain property read when the name has no dots. */
export function attributeReader(name: string): AttributeReader {
  // A context may also carry the dotted name as a flat key (`"user.plan": "pro"`); that wins.
  if (!name.includes('.')) return (context) => context[name];
  const parts = name.split('.');
  return (context) => {
    const flat = context[name];
    if (flat !== undefined) return flat;
    let value: unknown = context;
    for (const part of parts) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  };
}

import YAML from 'yaml';
import { CliError } from '../exit.js';
import { fromFlagd, isFlagdDocument, toFlagd } from './flagd.js';
import type { FlagsetFile } from './types.js';

export const FORMATS = ['json', 'yaml', 'flagd'] as const;
export type Format = (typeof FORMATS)[number];

export const isFormat = (value: string): value is Format => (FORMATS as readonly string[]).includes(value);

/** The format a file name implies: `.yaml`/`.yml` → yaml, `.flagd.json` → flagd, anything else json. */
export function formatOfPath(path: string): Format {
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  if (/\.flagd\.json$/i.test(path)) return 'flagd';
  return 'json';
}

/** The file's text in a format; flagd names every setting it cannot express as an error instead of dropping it. */
export function serialize(file: FlagsetFile, format: Format): string {
  if (format === 'yaml') return YAML.stringify(file, { aliasDuplicateObjects: false });
  const document = format === 'flagd' ? toFlagd(file) : file;
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A JSON (json, flagd) or YAML document, or a CliError naming the source and the problem. */
export function parseText(text: string, format: Format, source: string): unknown {
  if (format !== 'yaml') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new CliError(`${source} is not valid JSON: ${(error as Error).message}`);
    }
  }
  // The core schema whatever the document's %YAML directive: under 1.1, `on`/`off` keys would turn into booleans.
  const document = YAML.parseDocument(text, { uniqueKeys: true, schema: 'core' });
  const [first] = document.errors;
  if (first) throw new CliError(`${source} is not valid YAML: ${first.message}`);
  try {
    return document.toJS();
  } catch (error) {
    // An alias bomb is refused here, by yaml's alias count limit.
    throw new CliError(`${source} is not valid YAML: ${(error as Error).message}`);
  }
}

/**
 * Reads a flag set file. A JSON document in flagd's format (every flag has a `state`) is read as flagd
 * whatever its name, so `apply` takes what `export --format flagd` wrote.
 */
export function parseFlagsetFile(text: string, format: Format, source: string): FlagsetFile {
  const parsed = parseText(text, format, source);
  if (format === 'flagd' || isFlagdDocument(parsed)) return fromFlagd(parsed, source);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError(`${source} must hold an object`);
  const file = parsed as Partial<FlagsetFile>;
  if (typeof file.flags !== 'object' || file.flags === null || Array.isArray(file.flags)) {
    throw new CliError(`${source} has no "flags" object: expected { flags: { <key>: <flag> }, segments?, versions? }`);
  }
  return file as FlagsetFile;
}

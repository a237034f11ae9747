import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from '../exit.js';
import { parseText } from '../flagset/formats.js';
import type { Io } from '../io.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a folder',
};

/** Why a file operation failed, in words where the error code is a common one. */
const reason = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? code ?? (error as Error).message;
};

/** A file's text, or a CliError naming the file ("-" reads stdin). */
export async function readText(io: Io, path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${reason(error)}`);
  }
}

export async function writeText(io: Io, path: string, text: string): Promise<void> {
  try {
    await writeFile(resolve(io.cwd, path), text);
  } catch (error) {
    throw new CliError(`cannot write ${path}: ${reason(error)}`);
  }
}

/** A JSON or YAML document, by extension: YAML is a superset of JSON, so anything but `.json` is read as YAML. */
export const parseDocument = (text: string, source: string): unknown => parseText(text, /\.json$/i.test(source) ? 'json' : 'yaml', source);

import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from '../exit.js';
import { parseText } from '../flagset/formats.js';
import type { Io } from '../io.js';

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
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export async function writeText(io: Io, path: string, text: string): Promise<void> {
  try {
    await writeFile(resolve(io.cwd, path), text);
  } catch (error) {
    throw new CliError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** A JSON or YAML document, by extension: YAML is a superset of JSON, so anything but `.json` is read as YAML. */
export const parseDocument = (text: string, source: string): unknown => parseText(text, /\.json$/i.test(source) ? 'json' : 'yaml', source);

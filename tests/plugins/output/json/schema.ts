// The JSON Schema of `-f json` messages (docs/json-output.schema.json), compiled
// once with ajv, for the unit and end-to-end tests to check every line against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { repoRoot } from '../../../helpers/run.ts';

const schema = JSON.parse(readFileSync(join(repoRoot, 'docs', 'json-output.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);

/** Schema errors of one parsed message, as text; '' when it is valid. */
export function schemaErrors(message: unknown): string {
  if (validate(message)) return '';
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

/** Parses NDJSON text: one message per line, every line ending in a newline. */
export function parseLines(text: string): unknown[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`output does not end in a newline: ${JSON.stringify(text)}`);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line));
}

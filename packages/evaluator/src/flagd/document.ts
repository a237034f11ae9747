import { z } from 'zod';
import type { JsonValue } from '../model/schema.js';

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

const metadataSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()], { error: 'metadata values are strings, numbers or booleans' }),
);

const jsonLogicSchema = z.record(z.string(), jsonValue, { error: 'targeting must be a JsonLogic object' });

/** One flag in flagd's flag definition format. */
export const flagdFlagSchema = z.strictObject({
  state: z.enum(['ENABLED', 'DISABLED'], {
    error: (issue) => (issue.input === undefined ? undefined : `state must be "ENABLED" or "DISABLED", not ${JSON.stringify(issue.input)}`),
  }),
  variants: z.record(z.string(), jsonValue, { error: 'variants must be an object of variant name to value' }),
  defaultVariant: z.string().nullable().optional(),
  targeting: jsonLogicSchema.nullable().optional(),
  metadata: metadataSchema.optional(),
});

/** A flagd flag definition document (https://flagd.dev/reference/flag-definitions/). */
export const flagdDocumentSchema = z.strictObject({
  $schema: z.string().optional(),
  flags: z.record(z.string(), flagdFlagSchema, { error: 'flags must be an object of flag key to flag' }),
  /** Shared targeting, referenced from a flag's targeting as `{ "$ref": "name" }`. */
  $evaluators: z.record(z.string(), jsonValue).optional(),
  /** Flag-set metadata; each flag's own metadata overrides it key by key. */
  metadata: metadataSchema.optional(),
});

export type FlagdFlag = z.infer<typeof flagdFlagSchema>;
export type FlagdDocument = z.infer<typeof flagdDocumentSchema>;

import { z } from 'zod';

// Keywords Ollama rejects ("invalid JSON schema in format" for `pattern`, ollama/ollama#8185) or that only
// add grammar weight without helping a small model: they are removed; zod still enforces them after parsing.
const DROPPED_KEYWORDS = new Set([
  '$schema',
  '$id',
  'pattern',
  'format',
  'patternProperties',
  'contentEncoding',
  'contentMediaType',
]);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', '$defs', 'definitions']);
const SCHEMA_LIST_KEYWORDS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'not', 'contains', 'propertyNames']);

export type JsonSchema = Record<string, unknown>;

/** Turns a zod schema into the JSON schema sent as Ollama's `format` and Hugging Face's `response_format`. */
export function toProviderJsonSchema(schema: z.ZodType): JsonSchema {
  const raw = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  return stripUnsupportedKeywords(raw) as JsonSchema;
}

/** Removes keywords providers reject, walking only schema positions (a property named "pattern" survives). */
export function stripUnsupportedKeywords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripUnsupportedKeywords);
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.has(key) || isSafeIntegerBound(key, value)) continue;
    if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, stripUnsupportedKeywords(sub)]));
    } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
      out[key] = value.map(stripUnsupportedKeywords);
    } else if (SCHEMA_KEYWORDS.has(key) && isObject(value)) {
      out[key] = stripUnsupportedKeywords(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

// zod writes ±MAX_SAFE_INTEGER bounds for every .int(); they say nothing and bloat the grammar.
function isSafeIntegerBound(key: string, value: unknown): boolean {
  return (
    (key === 'minimum' || key === 'maximum') && typeof value === 'number' && Math.abs(value) >= Number.MAX_SAFE_INTEGER
  );
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

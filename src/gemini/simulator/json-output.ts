import { sentences, type SeededRandom } from './determinism.js';

type Schema = Record<string, unknown>;

/** Deterministic JSON text for `responseMimeType: application/json`: follows the schema when there is one. */
export function jsonAnswer(prompt: string, schema: unknown, random: SeededRandom): string {
  const value = isSchema(schema) ? fromSchema(schema, random, 0) : questionAnswerPairs(prompt, random);
  return JSON.stringify(value);
}

/** What `[[sim:bad-json]]` answers: the start of a Q&A array, cut off mid-string. */
export function brokenJson(prompt: string, random: SeededRandom): string {
  return jsonAnswer(prompt, undefined, random).slice(0, 40);
}

/** Without a schema: three question/answer pairs about the prompt's longest words. */
function questionAnswerPairs(prompt: string, random: SeededRandom): { question: string; answer: string }[] {
  const words = [...new Set(prompt.toLowerCase().match(/[a-z][a-z-]{3,}/g) ?? [])]
    .filter((word) => !word.startsWith('sim'))
    .sort((a, b) => b.length - a.length || a.localeCompare(b));
  const topics = [...words.slice(0, 3), 'usage', 'tokens', 'billing'].slice(0, 3);
  return topics.map((topic) => ({ question: `What should I know about ${topic}?`, answer: sentences(random, random.int(8, 16)) }));
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Both the SDK schemas (type OBJECT / object) and JSON Schema (responseJsonSchema) are accepted. */
function fromSchema(schema: Schema, random: SeededRandom, depth: number): unknown {
  const enumValues = schema.enum;
  if (Array.isArray(enumValues) && enumValues.length > 0) return random.pick(enumValues);
  const rawType = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  const type = String(rawType ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string')).toLowerCase();
  switch (type) {
    case 'object': {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      return Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, fromSchema(isSchema(child) ? child : {}, random, depth + 1)]));
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 3;
      const length = depth > 3 ? 0 : Math.max(min, Math.min(3, typeof schema.maxItems === 'number' ? schema.maxItems : 3));
      return Array.from({ length }, () => fromSchema(isSchema(schema.items) ? schema.items : {}, random, depth + 1));
    }
    case 'integer':
      return random.int(0, 100);
    case 'number':
      return Math.round(random.next() * 10000) / 100;
    case 'boolean':
      return random.next() < 0.5;
    default:
      return sentences(random, random.int(3, 10));
  }
}

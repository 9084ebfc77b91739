// The arguments an agent sends are untrusted JSON. Each tool declares them once, as a small spec;
// the JSON schema the model sees and the check its call goes through are both made from it, so
// they cannot drift apart. The check is one pass over the arguments, never throws, and refuses
// anything the schema does not allow (unknown keys included), so a malformed call writes nothing.

/** One argument: its JSON type, what it means, and its limits. */
export interface ArgSpec {
  type: 'string' | 'integer' | 'number' | 'boolean' | 'string[]' | 'integer[]';
  description: string;
  required?: boolean;
  /** `null` is allowed too: it removes the field. */
  nullable?: boolean;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
}

export type ArgsSpec = Readonly<Record<string, ArgSpec>>;

/** The JSON schema of a tool's input (draft 2020-12 subset both VS Code and MCP clients read). */
export interface JsonSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
  additionalProperties: false;
}

/** Text an agent sends is capped, so that one call cannot make the writer or a matcher work on megabytes. */
export const MAX_TEXT = 20_000;
export const MAX_LIST = 200;

/** The JSON schema of `spec`. */
export function schemaOf(spec: ArgsSpec): JsonSchema {
  const properties: JsonSchema['properties'] = {};
  for (const [name, a] of Object.entries(spec)) {
    const one = (t: string): Record<string, unknown> => {
      const s: Record<string, unknown> = { type: t };
      if (t === 'string') s.maxLength = MAX_TEXT;
      if (a.enum && t === 'string') s.enum = [...a.enum];
      if (a.minimum !== undefined && t !== 'string') s.minimum = a.minimum;
      if (a.maximum !== undefined && t !== 'string') s.maximum = a.maximum;
      return s;
    };
    let s: Record<string, unknown> = a.type.endsWith('[]') ? { type: 'array', items: one(a.type.slice(0, -2)), maxItems: MAX_LIST } : one(a.type);
    // A null is allowed by the type and, for a list of choices, among them: JSON Schema checks
    // `enum` on its own, so a validator would refuse the null the description promises.
    if (a.nullable) s = { ...s, type: [s.type, 'null'], ...(Array.isArray(s.enum) ? { enum: [...(s.enum as unknown[]), null] } : {}) };
    properties[name] = { ...s, description: a.description };
  }
  const required = Object.entries(spec).filter(([, a]) => a.required).map(([n]) => n);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

/** Checks `args` against `spec`; the message names the argument and what it should be. */
export function checkArgs(spec: ArgsSpec, args: unknown): Checked<Record<string, unknown>> {
  const given = args ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) return { ok: false, message: 'The arguments must be a JSON object.' };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(spec, key)) return { ok: false, message: `Unknown argument "${key.slice(0, 80)}"; the arguments are: ${Object.keys(spec).join(', ')}.` };
  }
  for (const [name, a] of Object.entries(spec)) {
    const v = (given as Record<string, unknown>)[name];
    if (v === undefined) {
      if (a.required) return { ok: false, message: `"${name}" is required: ${a.description}` };
      continue;
    }
    if (v === null) {
      if (!a.nullable) return { ok: false, message: `"${name}" cannot be null.` };
      out[name] = null;
      continue;
    }
    const problem = a.type.endsWith('[]') ? listProblem(a, v) : valueProblem(a, a.type, v);
    if (problem) return { ok: false, message: `"${name}" ${problem}` };
    out[name] = v;
  }
  return { ok: true, value: out };
}

function listProblem(a: ArgSpec, v: unknown): string | undefined {
  if (!Array.isArray(v)) return `must be a list of ${a.type.slice(0, -2)}s.`;
  if (v.length > MAX_LIST) return `holds at most ${MAX_LIST} values.`;
  for (const x of v) {
    const p = valueProblem(a, a.type.slice(0, -2) as ArgSpec['type'], x);
    if (p) return `holds a value that ${p}`;
  }
  return undefined;
}

function valueProblem(a: ArgSpec, type: ArgSpec['type'], v: unknown): string | undefined {
  switch (type) {
    case 'string':
      if (typeof v !== 'string') return 'must be a string.';
      if (v.length > MAX_TEXT) return `is longer than ${MAX_TEXT} characters.`;
      if (a.enum && !a.enum.includes(v)) return `must be one of ${a.enum.join(', ')}.`;
      return undefined;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false.';
    case 'integer':
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number.';
      if (type === 'integer' && !Number.isInteger(v)) return 'must be a whole number.';
      if (a.minimum !== undefined && v < a.minimum) return `must be at least ${a.minimum}.`;
      if (a.maximum !== undefined && v > a.maximum) return `must be at most ${a.maximum}.`;
      return undefined;
    default:
      return 'has an unknown type.';
  }
}

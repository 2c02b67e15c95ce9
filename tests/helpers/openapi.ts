/**
 * Walks the served OpenAPI document: every operation with its parameters and body schema, a
 * minimal valid sample of a schema (for the access matrix), and fast-check arbitraries that mix
 * schema-shaped values with hostile ones (for the fuzz).
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  additionalProperties?: boolean | JsonSchema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. /api/premises/{id}. */
  path: string;
  /** `METHOD /api/path/{param}`: the key of the access rule table. */
  key: string;
  pathParams: Record<string, JsonSchema>;
  query: Record<string, JsonSchema>;
  requiredQuery: string[];
  body: JsonSchema | null;
  /** multipart or a raw file body: sent as text/csv. */
  fileBody: boolean;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; required?: boolean; schema: JsonSchema }>; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
}

export function operationsOf(doc: unknown): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries((doc as OpenApiDoc).paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const json = content['application/json']?.schema ?? null;
      out.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        pathParams: Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, p.schema])),
        query: Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema])),
        requiredQuery: params.filter((p) => p.in === 'query' && p.required).map((p) => p.name),
        body: json,
        fileBody: !json && Object.keys(content).length > 0,
      });
    }
  }
  return out;
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) goes as the bytes a careless
 * client would send for it (WTF-8, not valid UTF-8): the server must refuse those, not fail.
 */
function encodeComponent(text: string): string {
  if (!/[\ud800-\udfff]/.test(text)) return encodeURIComponent(text);
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g, (ch) => {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
    return encodeURIComponent(ch);
  });
}

/** The URL of an operation with its path parameters filled in and a query string. */
export function urlOf(op: Operation, pathValues: Record<string, unknown>, query: Record<string, unknown> = {}): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeComponent(String(pathValues[name])));
  const qs = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`)
    .join('&');
  return qs ? `${path}?${qs}` : path;
}

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

/** A plausible string for a field, guessed from its name and pattern: periods, dates, amounts. */
function sampleString(name: string, s: JsonSchema): string {
  if (s.pattern?.includes('\\d{4}-\\d{2}-\\d{2}') || /(date|On|From|To|Until)$/.test(name)) return '2026-10-01';
  if (s.pattern?.includes('\\d{4}-') || /period/i.test(name)) return '2026-10';
  if (s.pattern && /\\d/.test(s.pattern)) return '1';
  const min = s.minLength ?? 0;
  return 'тест'.padEnd(Math.max(min, 4), 'т').slice(0, s.maxLength ?? 100);
}

/** A minimal valid value of a schema: required properties only, the first enum value. */
export function sampleOf(s: JsonSchema, name = ''): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sampleOf(alt.find((a) => typeOf(a) !== 'null') ?? alt[0]!, name);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((a) => sampleOf(a, name)));
  switch (typeOf(s)) {
    case 'object':
      return Object.fromEntries((s.required ?? []).map((k) => [k, sampleOf(s.properties?.[k] ?? {}, k)]));
    case 'array':
      return Array.from({ length: s.minItems ?? 1 }, () => sampleOf(s.items ?? {}, name));
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'string':
      return sampleString(name, s);
    default:
      return 'тест';
  }
}

/** Strings a careless parser or database trips on. */
export const hostileStrings = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '',
  ' ',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-99',
  '-1',
  '-0',
  '1e309',
  '9007199254740993',
  'NaN',
  "'; drop table account; --",
  '<script>alert(1)</script>',
  '=HYPERLINK("x")',
  '%00',
  '{}',
  '../../etc/passwd',
  '\u202e',
  '🏠',
];

export const hostileNumbers = [0, -1, -100, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, 0.5, -0.01, Number.MAX_SAFE_INTEGER];

// A million characters now and then (each costs a few megabytes on the wire), the others often.
const hostile = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom<unknown>(...hostileStrings, ...hostileNumbers, null, true, [], {}) },
  { weight: 1, arbitrary: fc.constant('ї'.repeat(1_000_000)) },
);

/** Values shaped by the schema, with one in four replaced by something hostile. */
export function arbitraryOf(s: JsonSchema, name = '', depth = 0): fc.Arbitrary<unknown> {
  const shaped = shapedArbitrary(s, name, depth);
  return fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: hostile });
}

function shapedArbitrary(s: JsonSchema, name: string, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return fc.oneof(...alt.map((a) => arbitraryOf(a, name, depth + 1)));
  switch (typeOf(s)) {
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = Object.entries(s.properties ?? {});
      const required = new Set(s.required ?? []);
      return fc.record(Object.fromEntries(props.map(([k, v]) => [k, arbitraryOf(v, k, depth + 1)])), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
      });
    }
    case 'array':
      return fc.array(arbitraryOf(s.items ?? {}, name, depth + 1), { maxLength: 4 });
    case 'integer':
      return fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constantFrom(...hostileNumbers));
    case 'number':
      return fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(...hostileNumbers));
    case 'boolean':
      return fc.boolean();
    case 'string':
      return fc.oneof(fc.constant(sampleString(name, s)), fc.string({ maxLength: 20 }), fc.constantFrom(...hostileStrings));
    default:
      return fc.oneof(fc.string(), fc.integer());
  }
}

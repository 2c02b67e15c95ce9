import { lookup, prenormalise, streetTypeOf } from './characters';

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

export type TokenKind = 'word' | 'num' | 'sep' | 'slash' | 'dash' | 'no';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Immediately followed by a dot: «вул.», «В.», «кв.». */
  dot: boolean;
  /** No space or punctuation before it: the «а» of «12а», the «5» of «кв5». */
  glued: boolean;
}

const WORD = String.raw`\p{L}[\p{L}\p{M}]*(?:'[\p{L}\p{M}]+)*`;
const TOKEN = new RegExp(
  String.raw`( +)|(${WORD}(?:-${WORD})*)|(\d+)|([,;])|([/\\])|(-)|([№#])|(\.)|([\s\S])`,
  'uy',
);

export function tokenise(text: string): Token[] {
  const s = prenormalise(text);
  const tokens: Token[] = [];
  let glued = false;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(s); m; m = TOKEN.exec(s)) {
    const [, , word, num, sep, slash, dash, no, dot] = m;
    const push = (kind: TokenKind, t: string) => {
      tokens.push({ kind, text: t, dot: false, glued: glued && tokens.length > 0 });
      glued = true;
    };
    // Letters and digits are always separate tokens: «кв5», «д12», «Київська12», «12а».
    if (word) {
      for (const part of splitGluedType(word)) push('word', part);
      glued = true;
    } else if (num) push('num', num);
    else if (sep) push('sep', sep);
    else if (slash) push('slash', '/');
    else if (dash) push('dash', '-');
    else if (no) push('no', '№');
    else if (dot) {
      const last = tokens[tokens.length - 1];
      if (last?.kind === 'word' && glued) last.dot = true;
      glued = false;
    } else {
      glued = false; // spaces and stray characters separate tokens
    }
  }
  return tokens;
}

/**
 * A street type glued to the name, told by the capital letter where they meet: «шосеХмельницьке»,
 * «вулСоборна», «ХмельницькеШосе» → the type and the name as two words. Without a change of case
 * («вулсоборна») the word is left whole: «Шосейна» begins with «шосе» and is a name.
 */
function splitGluedType(word: string): string[] {
  const boundaries = [...word.matchAll(/(?<=\p{Ll})(?=\p{Lu})/gu)].map((m) => m.index);
  if (boundaries.length === 0) return [word];
  const first = boundaries[0];
  if (streetTypeOf(word.slice(0, first)) !== undefined) return [word.slice(0, first), word.slice(first)];
  const last = boundaries[boundaries.length - 1];
  if (streetTypeOf(word.slice(last)) !== undefined) return [word.slice(0, last), word.slice(last)];
  return [word];
}

type WordToken = Token & { kind: 'word' };
type NumToken = Token & { kind: 'num' };
export const isWord = (t: Token | undefined): t is WordToken => t?.kind === 'word';
export const isNum = (t: Token | undefined): t is NumToken => t?.kind === 'num';
export const isSingleLetter = (t: Token | undefined): t is WordToken => isWord(t) && [...t.text].length === 1;
/** The single Cyrillic letter `letter`, in either case or typed as its Latin look-alike. */
export const isLetter = (t: Token | undefined, letter: string): boolean =>
  isSingleLetter(t) && lookup((k) => (k === letter ? true : undefined), t.text) === true;
export const tokensText = (ts: Token[]) =>
  ts.map((t, i) => (i > 0 && !t.glued ? ' ' : '') + t.text + (t.dot ? '.' : '')).join('');

/**
 * Text encodings of provider files: UTF-8 and Windows-1251 for CSV, UTF-16 (LE or BE, known by its
 * byte-order mark) as Excel's "Unicode text" writes it, and the DOS code pages cp866
 * and cp1125 that DBF files from welfare offices and banks still use (docs/domain.md). Pure
 * functions over a sample of the file's bytes; the readers decode with iconv-lite, which has all
 * four tables (cp1125 included: F2–F9 are Ґґ Єє Іі Її, checked in encoding.test.ts).
 */
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'windows-1251' | 'cp866' | 'cp1125' | 'utf-16le' | 'utf-16be';
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'windows-1251', 'cp866', 'cp1125', 'utf-16le', 'utf-16be'];

/** UTF-16 by its byte-order mark (FF FE little-endian, FE FF big-endian); undefined without one. */
export function utf16ByBom(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Share of decoded characters that no text file holds (as controlByteShare, over characters). */
export function controlCharShare(text: string): number {
  if (text.length === 0) return 0;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x1a) bad++;
  }
  return bad / text.length;
}

export function decodeBytes(bytes: Uint8Array, encoding: TextEncoding): string {
  if (encoding === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

/** True when the bytes are valid UTF-8; a sample cut mid-character at its end still counts. */
export function isValidUtf8(bytes: Uint8Array, sampleIsTruncated = false): boolean {
  let end = bytes.length;
  if (sampleIsTruncated) {
    // Drop an incomplete multi-byte sequence at the very end of the sample.
    let i = end - 1;
    let back = 0;
    while (i >= 0 && back < 3 && (bytes[i] & 0xc0) === 0x80) {
      i--;
      back++;
    }
    if (i >= 0 && bytes[i] >= 0xc0) end = i;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Share of bytes that no text file holds: NUL and C0 controls other than tab, LF, CR (and the
 * DOS end-of-file mark 0x1A). A file with more than a few of these is binary, whatever its name.
 */
export function controlByteShare(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  let bad = 0;
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1a) bad++;
  return bad / bytes.length;
}

/** CSV and other text files: UTF-8 when the bytes are valid UTF-8, otherwise Windows-1251. */
export function detectTextEncoding(sample: Uint8Array, sampleIsTruncated = false): TextEncoding {
  return isValidUtf8(sample, sampleIsTruncated) ? 'utf-8' : 'windows-1251';
}

const UKRAINIAN_AND_RUSSIAN_LETTERS = /[А-ЩЬЮЯҐЄІЇа-щьюяґєії]/u;

/**
 * The code page of DBF text, which the header does not say (its code-page byte is usually 0):
 * the table under which the bytes above 0x7F read as the most Cyrillic letters. Text in another
 * table reads as box-drawing signs and odd symbols. cp866 and cp1125 differ only at F2–F9, where
 * cp1125 has Ґґ Єє Іі Її and cp866 Єє Її Ўў ° ∙; a tie goes to cp866, the more common of the two.
 */
export function detectDbfEncoding(text: Uint8Array): TextEncoding {
  const high = Uint8Array.from(text.filter((b) => b >= 0x80));
  let best: TextEncoding = 'cp866';
  let bestScore = -Infinity;
  for (const encoding of ['cp866', 'cp1125', 'windows-1251'] as const) {
    let score = 0;
    for (const ch of decodeBytes(high, encoding)) score += UKRAINIAN_AND_RUSSIAN_LETTERS.test(ch) ? 1 : -1;
    if (score > bestScore) {
      bestScore = score;
      best = encoding;
    }
  }
  return best;
}

/**
 * Share of the decoded characters that are letters, digits, spaces or ordinary punctuation. Text
 * decoded with the wrong table shows up as box-drawing signs and odd symbols, pulling this down.
 */
export function plausibleTextShare(text: string): number {
  if (text.length === 0) return 1;
  let good = 0;
  for (const ch of text) if (/[\p{L}\p{N}\s.,;:'"«»()\-/№#_+*=&%@!?|\\’ʼ`]/u.test(ch)) good++;
  return good / [...text].length;
}

/**
 * Reading a rendered PDF the way a person or a bank app would: its text (pdftotext), where its
 * words sit (pdftotext -bbox, in points), and the QR codes on a page decoded from a raster image
 * (pdftoppm → PNG → zbarimg). Debian packages poppler-utils and zbar-tools (see .ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withFile<T>(pdf: Buffer, f: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'bill-'));
  try {
    const path = join(dir, 'bill.pdf');
    writeFileSync(path, pdf);
    return f(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The page text; no-break spaces come out as plain ones, so compare with `plainSpaces(expected)`. */
export function pdfText(pdf: Buffer): string {
  return withFile(pdf, (path) => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }));
}

export function plainSpaces(s: string): string {
  return s.replace(/[\u00a0\u202f]/g, ' ');
}

export interface Word {
  text: string;
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word with its box in points from the page's top-left corner. */
export function pdfWords(pdf: Buffer): Word[] {
  const html = withFile(pdf, (path) => execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8' }));
  const words: Word[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m) words.push({ page, xMin: +m[1], yMin: +m[2], xMax: +m[3], yMax: +m[4], text: m[5].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"') });
  }
  return words;
}

/** The QR codes found on one page (1-based), as their text. */
export function decodeQrCodes(pdf: Buffer, page = 1): string[] {
  return withFile(pdf, (path, dir) => {
    execFileSync('pdftoppm', ['-r', '200', '-gray', '-png', '-f', String(page), '-l', String(page), '-singlefile', path, join(dir, 'page')]);
    const run = spawnSync('zbarimg', ['--quiet', '--raw', '-Sqrcode.enable', join(dir, 'page.png')], { encoding: 'utf8' });
    // zbarimg exits 4 when the image holds no code at all.
    if (run.status !== 0 && run.status !== 4) throw new Error(`zbarimg failed: ${run.stderr}`);
    return run.stdout.split('\n').filter(Boolean);
  });
}


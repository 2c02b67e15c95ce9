/**
 * How an import names a service: by its code (`cold_water`) or by its name in either language
 * («Холодне водопостачання», "Cold water"), in any case, with any apostrophe (' ’ ʼ `) or none,
 * and with any spacing. A profile's own mapping (settings.services) is read first, as before.
 */

export interface ServiceNames {
  code: string;
  nameUk: string;
  nameEn: string;
}

/** The form two spellings of one name share: lower case, no apostrophes, single spaces. */
export function serviceKey(text: string): string {
  return text
    .normalize('NFC')
    .toLocaleLowerCase('uk')
    .replace(/['’ʼ`‘ʹ]/g, '')
    .replace(/[\s_-]+/g, ' ')
    .trim();
}

/**
 * The code each accepted spelling stands for. A spelling that two services share (a name equal
 * to another's code, say) names neither: it stays unresolved rather than picking one.
 */
export function serviceResolver(services: readonly ServiceNames[]): (raw: string) => string | null {
  const byKey = new Map<string, string | null>();
  const add = (text: string, code: string) => {
    const key = serviceKey(text);
    if (!key) return;
    const seen = byKey.get(key);
    byKey.set(key, seen === undefined || seen === code ? code : null);
  };
  for (const s of services) for (const text of [s.code, s.nameUk, s.nameEn]) add(text, s.code);
  return (raw) => byKey.get(serviceKey(raw)) ?? null;
}

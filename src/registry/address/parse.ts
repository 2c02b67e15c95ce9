import { fail, ok, type Result } from '../../shared/identifiers';
import { CYRILLIC, isIn, lookup, streetTypeOf } from './characters';
import {
  CITY_MARKERS,
  ROAD_TYPES_IN_LANE_NAMES,
  STREET_TYPES,
  TRAILING_TYPE_ALIASES,
  type House,
  type ParseAddressOptions,
  type ParsedAddress,
  type StreetType,
} from './dictionaries';
import { cityName, Cursor, houseKey, parseTail } from './house';
import {
  displayName,
  findStreetSegment,
  nameWordAhead,
  segmentIsRegion,
  segmentIsStreetish,
  startsHousePart,
  type NamePart,
  type Segment,
} from './street-name';
import { streetSearchKeys, translitKey } from './street-keys';
import { isNum, isWord, tokenise, type Token } from './tokens';

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const missingStreet = () => fail<ParsedAddress>('Не вказано назву вулиці', 'The street name is missing');

/**
 * Parses a free-text Ukrainian address. The street type may come before or after the name or be
 * missing; a city («м. Вінниця», or a leading segment before the street) and a postal code are
 * picked up when present. See the module comment for the «12/5» rule.
 */
export function parseAddress(text: string, opts: ParseAddressOptions = {}): Result<ParsedAddress> {
  const all = tokenise(text);
  if (all.length === 0) return fail('Адресу не вказано', 'The address is empty');

  // Split into comma-separated segments.
  const segs: Segment[] = [{ tokens: [] }];
  for (const t of all) {
    if (t.kind === 'sep') segs.push({ tokens: [] });
    else segs[segs.length - 1].tokens.push(t);
  }

  // A postal code leads the address: «21000, м. Вінниця, …» or «21000 Вінниця, …».
  let postalCode: string | undefined;
  const firstSeg = segs.findIndex((s) => s.tokens.length > 0);
  const lead = segs[firstSeg]?.tokens[0];
  if (isNum(lead) && lead.text.length === 5 && (segs[firstSeg].tokens.length === 1 || isWord(segs[firstSeg].tokens[1]))) {
    postalCode = lead.text;
    segs[firstSeg].tokens.shift();
  }

  const s = findStreetSegment(segs);
  if (s < 0) return missingStreet();

  // A city: the nearest name-like segment before the street.
  let city: string | undefined;
  for (let i = s - 1; i >= 0 && city === undefined; i--) {
    if (!segmentIsRegion(segs[i]) && segmentIsStreetish(segs[i])) city = cityName(segs[i].tokens.filter(isWord));
  }

  let toks = segs[s].tokens;

  // «м. Вінниця вул. Київська 12» or «Вінниця вул. Київська 12»: a city before the type.
  const typeAt = toks.findIndex((t, i) => i > 0 && isWord(t) && streetTypeOf(t.text) !== undefined);
  if (typeAt > 0 && isWord(toks[typeAt + 1]) && !startsHousePart(toks, typeAt + 1)) {
    const before = toks.slice(0, typeAt);
    const marked = isWord(before[0]) && isIn(CITY_MARKERS, before[0].text) && before.length > 1;
    if (before.every(isWord) && (marked || before.length <= 2)) {
      city = cityName(before);
      toks = toks.slice(typeAt);
    }
  }

  // Street type before the name.
  let streetType: StreetType | undefined;
  let leadTypeWord: Token | undefined;
  let i = 0;
  const leadType = isWord(toks[0]) ? streetTypeOf(toks[0].text) : undefined;
  // «Набережна 5», «Шосе 5»: a type word with no other name word is the name itself.
  if (leadType && nameWordAhead(toks, 1)) {
    streetType = leadType;
    leadTypeWord = toks[0];
    i = 1;
  }

  // The name: words, plus leading numbers and ordinals («20 Березня», «1-й Київський»).
  const parts: NamePart[] = [];
  let nameWords = 0;
  for (; i < toks.length; i++) {
    const t = toks[i];
    if (isNum(t)) {
      if (nameWords > 0) break; // the house number
      let text = t.text;
      const next = toks[i + 1];
      const afterDash = toks[i + 2];
      if (next?.kind === 'dash' && next.glued && isWord(afterDash) && afterDash.glued) {
        text += `-${afterDash.text}`;
        i += 2;
      } else if (isWord(next) && next.glued) {
        text += `-${next.text}`;
        i += 1;
      }
      parts.push({ text, dot: false, numeric: true });
      if (/\p{L}/u.test(text)) nameWords++; // «600-річчя» is a name by itself; «20» is not
      continue;
    }
    if (isWord(t)) {
      if (startsHousePart(toks, i)) break; // «буд. 12», «кв. 5» («Д. Михайловського» is a name)
      parts.push({ text: t.text, dot: t.dot, numeric: false });
      nameWords++;
      continue;
    }
    if (t.kind === 'dash' && nameWords > 0 && isWord(toks[i + 1]) && parts.length > 0) {
      parts[parts.length - 1].text += `-${toks[i + 1].text}`; // «Гулака - Артемовського»
      i++;
      continue;
    }
    break; // «№», «/», a stray dash: the house part starts (or is garbage)
  }

  // Street type after the name: «Хмельницьке шосе», «Київська вул.».
  const last = parts[parts.length - 1];
  const trailingType =
    last && !last.numeric ? (streetTypeOf(last.text) ?? lookup((k) => TRAILING_TYPE_ALIASES.get(k), last.text)) : undefined;
  if (trailingType && leadTypeWord && streetType && parts.length === 1) {
    // «вулиця Набережна», «Набережна вулиця»: both are type words. The more generic type
    // (earlier in STREET_TYPES) is the type, the other word the name.
    if (STREET_TYPES.indexOf(trailingType) < STREET_TYPES.indexOf(streetType)) {
      parts[0] = { text: leadTypeWord.text, dot: leadTypeWord.dot, numeric: false };
      streetType = trailingType;
    }
  } else if (trailingType && parts.length > 1) {
    // «1-й Гніванське шосе» is a lane (провулок) named after the road, not a road.
    const laneNamedAfterRoad =
      /^\d+-(й|ий|y|yi|i)$/iu.test(parts[0].text) && parts.length > 2 && ROAD_TYPES_IN_LANE_NAMES.has(trailingType);
    if (streetType === undefined && !laneNamedAfterRoad) {
      streetType = trailingType;
      parts.pop();
    } else if (streetType === trailingType) {
      parts.pop();
    }
  }
  if (!parts.some((p) => /\p{L}/u.test(p.text))) return missingStreet();

  const cyrillic = parts.some((p) => CYRILLIC.test(p.text));
  const streetName = displayName(parts, cyrillic);

  // Everything after the name, across the following segments.
  const tail: Token[] = toks.slice(i);
  for (let k = s + 1; k < segs.length; k++) {
    tail.push({ kind: 'sep', text: ',', dot: false, glued: false }, ...segs[k].tokens);
  }
  const parsedTail = parseTail(tail, !cyrillic, opts);
  if (!parsedTail.ok) return parsedTail;

  const result: ParsedAddress = {
    streetName,
    streetKey: translitKey(streetName),
    streetKeys: streetSearchKeys(streetName),
  };
  if (streetType) result.streetType = streetType;
  if (parsedTail.value.house) {
    result.house = parsedTail.value.house;
    result.houseKey = houseKey(parsedTail.value.house);
  }
  if (parsedTail.value.apartment !== undefined) result.apartment = parsedTail.value.apartment;
  const finalCity = city ?? parsedTail.value.city;
  if (finalCity) result.city = finalCity;
  if (postalCode) result.postalCode = postalCode;
  return ok(result);
}

/** Parses a house number alone: «буд. 12-А», «12/2 корп. 1», «7 а». */
export function parseHouse(text: string): Result<House> {
  const tokens = tokenise(text);
  if (tokens.length === 0) return fail('Номер будинку не вказано', 'The house number is empty');
  // No street to tell the script: a Latin letter is read as its Cyrillic look-alike (B → в).
  const r = parseTail(tokens, false, {});
  if (!r.ok) return r;
  if (!r.value.house || r.value.apartment !== undefined || r.value.city !== undefined) {
    return fail(`«${text}» — не номер будинку`, `"${text}" is not a house number`);
  }
  return ok(r.value.house);
}

/** houseKey of a typed house number, or undefined when it is not one: «7-А» → '7а'. */
export function normaliseHouse(text: string): string | undefined {
  const r = parseHouse(text);
  return r.ok ? houseKey(r.value) : undefined;
}

/**
 * The apartment key of a typed apartment or premise number, undefined when it is not one:
 * «кв. 05» → '5', «5-А» → '5а', «квартира 12» → '12'; non-residential premises get the 'п'
 * prefix: «прим. 1», «нежитлове приміщення 1», «н/п 1», «офіс 1», «кв. п1» → 'п1'. A key
 * gives itself back ('5' → '5', 'п1а' → 'п1а').
 */
export function normaliseApartment(text: string): string | undefined {
  const tokens = tokenise(text);
  if (tokens.length === 0) return undefined;
  const latin = !tokens.some((t) => CYRILLIC.test(t.text));
  const c = new Cursor(tokens, latin);
  const start = c.apartmentStart();
  if (start) c.i += start.skip;
  else if (c.is('no')) c.i++;
  const key = c.apartmentNumber(start?.nonResidential ?? false);
  if (key === undefined || !c.done) return undefined;
  return /^п?0$/u.test(key) ? undefined : key;
}

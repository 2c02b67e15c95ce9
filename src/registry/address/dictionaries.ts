// ---------------------------------------------------------------------------------------------
// Types and dictionaries
// ---------------------------------------------------------------------------------------------

export const STREET_TYPES = [
  'вулиця',
  'проспект',
  'провулок',
  'бульвар',
  'площа',
  'узвіз',
  'шосе',
  'майдан',
  'набережна',
  'проїзд',
  'тупик',
  'масив',
] as const;

export type StreetType = (typeof STREET_TYPES)[number];

/** How each type is abbreviated on a bill (ДСТУ-style; short words are not abbreviated). */
export const STREET_TYPE_ABBREVIATIONS: Record<StreetType, string> = {
  вулиця: 'вул.',
  проспект: 'просп.',
  провулок: 'пров.',
  бульвар: 'бульв.',
  площа: 'пл.',
  узвіз: 'узвіз',
  шосе: 'шосе',
  майдан: 'майдан',
  набережна: 'наб.',
  проїзд: 'проїзд',
  тупик: 'туп.',
  масив: 'масив',
};

/** Spellings people and old files use, without the trailing dot; Russian and Latin included. */
const STREET_TYPE_ALIASES: Record<StreetType, string[]> = {
  вулиця: ['вулиця', 'вул', 'ул', 'улица', 'vul', 'vulytsia', 'vulitsa', 'ulitsa', 'ul', 'street', 'str', 'st'],
  проспект: ['проспект', 'просп', 'пр-т', 'пр', 'prosp', 'prospekt', 'pr', 'avenue', 'ave'],
  провулок: ['провулок', 'пров', 'пер', 'переулок', 'prov', 'provulok', 'per', 'lane', 'ln'],
  бульвар: ['бульвар', 'бул', 'бульв', 'б-р', 'bulvar', 'bulv', 'boulevard', 'blvd'],
  площа: ['площа', 'пл', 'площадь', 'ploshcha', 'pl', 'square', 'sq'],
  узвіз: ['узвіз', 'узв', 'спуск', 'uzviz'],
  шосе: ['шосе', 'шоссе', 'shose', 'highway', 'hwy'],
  майдан: ['майдан', 'maidan'],
  набережна: ['набережна', 'наб', 'набережная', 'naberezhna', 'nab', 'embankment'],
  проїзд: ['проїзд', 'проезд', 'пр-д', 'proizd', 'proyizd'],
  тупик: ['тупик', 'туп', 'tupyk', 'tupik'],
  масив: ['масив', 'массив', 'мас', 'masyv'],
};

export const TYPE_BY_ALIAS = new Map<string, StreetType>(
  STREET_TYPES.flatMap((t) => STREET_TYPE_ALIASES[t].map((a) => [a, t] as const)),
);

/** Aliases trusted only AFTER a name: a leading «Ш.» is more likely an initial (Ш. Руставелі). */
export const TRAILING_TYPE_ALIASES = new Map<string, StreetType>([['ш', 'шосе']]);

export const HOUSE_MARKERS = new Set(['буд', 'будинок', 'б', 'д', 'дом', 'house', 'bud', 'bld', 'bldg']);
export const BLOCK_MARKERS = new Set(['корпус', 'корп', 'кор', 'к', 'korpus', 'korp', 'k', 'block']);
export const APARTMENT_MARKERS = new Set([
  'квартира',
  'кв',
  'кв-ра',
  'кварт',
  'apt',
  'apartment',
  'flat',
  'kv',
]);
/**
 * Non-residential premises (нежитлові приміщення): «прим. 1», «приміщ. 1», «приміщення 1»,
 * «оф. 1», «офіс 1» (Russian «пом.», «помещение», «офис» too). Their apartment key is 'п' + the
 * number ('п1', 'п1а'), so that «прим. 1» never equals the flat «кв. 1» (key '1'). An office is a
 * non-residential premise like any other and gets the same 'п' key: registries and bank files
 * call one premise «прим. 1» in one place and «офіс 1» in another, and they must meet.
 */
export const PREMISE_MARKERS = new Set([
  'прим',
  'приміщ',
  'приміщення',
  'пом',
  'помещ',
  'помещение',
  'оф',
  'офіс',
  'офис',
  'office',
]);
/** Words before a premise marker that only repeat its meaning: «нежитл. прим. 1», «нежитлове приміщення 1». */
export const PREMISE_QUALIFIERS = new Set(['нежитл', 'нежитлове', 'нежитлового', 'нежит', 'неж', 'нежил', 'нежиле', 'нежилое', 'нежилого']);
/** Prefix of a non-residential premise's apartment key: 'п1' is «прим. 1». */
export const NON_RESIDENTIAL_KEY_PREFIX = 'п';
export const CITY_MARKERS = new Set(['м', 'місто', 'г', 'город', 'с', 'село', 'смт', 'селище', 'пгт', 'city', 'm', 'misto', 'smt']);
export const REGION_MARKERS = new Set([
  'обл',
  'область',
  'р-н',
  'район',
  'oblast',
  'region',
  'district',
  'україна',
  'украина',
  'ukraine',
]);

/** Types whose word, after an ordinal name, is part of a lane's name: «1-й Гніванське шосе». */
export const ROAD_TYPES_IN_LANE_NAMES = new Set<StreetType>(['шосе', 'вулиця', 'проспект', 'площа', 'бульвар', 'майдан']);

export interface House {
  number: number;
  /** Cyrillic lower-case letter: «7-А» → 'а'. */
  letter?: string;
  /** The part after a slash: «12/2» → '2' (may carry a letter: '2а'). */
  fraction?: string;
  /** Корпус: «корп. 2» → '2'. */
  block?: string;
}

export interface ParsedAddress {
  streetType?: StreetType;
  /** The name as typed, cleaned for display (look-alikes fixed, spacing and apostrophes unified). */
  streetName: string;
  /** Script-independent match key (ASCII, КМУ-55 transliteration): «Київська» → 'kyivska'. */
  streetKey: string;
  /** All keys of the street: {@link streetSearchKeys}. */
  streetKeys: string[];
  house?: House;
  houseKey?: string;
  apartment?: string;
  city?: string;
  postalCode?: string;
}

export interface ParseAddressOptions {
  /** Read «12/5» (with no other apartment) as house 12, apartment 5. Default: a fraction. */
  slashMeansApartment?: boolean;
  /**
   * Accept an apartment with no house number («вул. Замостянська, кв. 3»): the address is
   * incomplete, a real account whose address needs a person. Default: refused.
   */
  apartmentWithoutHouse?: boolean;
}

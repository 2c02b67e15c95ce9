/**
 * Import profiles: how one provider's file of one kind maps onto the platform's canonical fields
 * (which column holds the account number, the address…), with its encoding and its way of writing
 * dates and numbers. Pure: parsing one row's cells into typed values with bilingual reasons for
 * every bad cell. Profiles are saved per provider and reused (repo.ts); the CLI also takes one as
 * a JSON file.
 */
import { z } from 'zod';
import { parseUah } from '../shared/money';
import { formatApartment } from '../registry/address';
import type { Bilingual } from '../shared/errors';
import { TEXT_ENCODINGS } from './encoding';

export const FILE_KINDS = ['addresses', 'accounts', 'charges', 'payments', 'readings'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export type FieldType = 'text' | 'int' | 'decimal' | 'money' | 'date' | 'period';

export interface FieldSpec {
  name: string;
  type: FieldType;
  label: Bilingual;
  required?: boolean;
  /** Column titles seen in real files, compared case- and punctuation-insensitively. */
  synonyms: string[];
}

const ADDRESS_FIELDS: FieldSpec[] = [
  { name: 'address', type: 'text', label: { uk: 'Адреса', en: 'Address' }, synonyms: ['адреса', 'адрес', 'address', 'adres', 'adr'] },
  { name: 'street_type', type: 'text', label: { uk: 'Тип вулиці', en: 'Street type' }, synonyms: ['тип вулиці', 'тип', 'street type', 'type_ul', 'tip'] },
  { name: 'street', type: 'text', label: { uk: 'Вулиця', en: 'Street' }, synonyms: ['вулиця', 'улица', 'street', 'ulica', 'ul', 'name_ul', 'vul'] },
  { name: 'house', type: 'text', label: { uk: 'Будинок', en: 'House' }, synonyms: ['будинок', 'буд', 'дом', 'house', 'bld', 'dom', 'bud', 'n_dom'] },
  { name: 'apartment', type: 'text', label: { uk: 'Квартира', en: 'Apartment' }, synonyms: ['квартира', 'кв', 'apartment', 'flat', 'kv', 'apt', 'n_kv'] },
];

export const KIND_FIELDS: Record<FileKind, FieldSpec[]> = {
  addresses: [
    ...ADDRESS_FIELDS,
    // Several names in one cell, separated by «;» or «|»: «Леніна; Радянська».
    { name: 'former_names', type: 'text', label: { uk: 'Колишні назви вулиці', en: 'Former street names' }, synonyms: ['колишні назви', 'колишня назва', 'стара назва', 'former names', 'former name', 'former', 'old_name'] },
    { name: 'aliases', type: 'text', label: { uk: 'Інші написання вулиці', en: 'Street aliases' }, synonyms: ['інші написання', 'інші назви', 'аліаси', 'aliases', 'alias'] },
    { name: 'postal_code', type: 'text', label: { uk: 'Поштовий індекс', en: 'Postal code' }, synonyms: ['індекс', 'index', 'postal code', 'zip'] },
    { name: 'total_area', type: 'decimal', label: { uk: 'Загальна площа', en: 'Total area' }, synonyms: ['площа', 'загальна площа', 'area', 'total area', 'pl_ob'] },
    { name: 'heated_area', type: 'decimal', label: { uk: 'Опалювана площа', en: 'Heated area' }, synonyms: ['опалювана площа', 'heated area', 'pl_ot'] },
    { name: 'rooms', type: 'int', label: { uk: 'Кімнат', en: 'Rooms' }, synonyms: ['кімнат', 'кімнати', 'rooms', 'kimn'] },
    { name: 'floors', type: 'int', label: { uk: 'Поверхів у будинку', en: 'Floors in the building' }, synonyms: ['поверхів', 'floors', 'etag'] },
    { name: 'premise_kind', type: 'text', label: { uk: 'Вид приміщення', en: 'Premise kind' }, synonyms: ['вид', 'kind'] },
  ],
  accounts: [
    { name: 'account', type: 'text', required: true, label: { uk: 'Особовий рахунок', en: 'Account number' }, synonyms: ['особовий рахунок', 'ос рахунок', 'рахунок', 'лицевой счет', 'account', 'own_num', 'ls', 'os_rah', 'nls'] },
    ...ADDRESS_FIELDS,
    { name: 'payer', type: 'text', label: { uk: 'Платник (ПІБ)', en: 'Payer' }, synonyms: ['платник', 'піб', 'фio', 'фио', 'payer', 'fio', 'pib', 'sur_nam'] },
    { name: 'area', type: 'decimal', label: { uk: 'Площа, м²', en: 'Area, m²' }, synonyms: ['площа', 'area', 'pl', 'pl_ob'] },
    { name: 'persons', type: 'int', label: { uk: 'Зареєстровано осіб', en: 'Registered persons' }, synonyms: ['зареєстровано', 'осіб', 'кількість осіб', 'persons', 'kol_os', 'lgot_cnt'] },
    { name: 'service', type: 'text', label: { uk: 'Послуга', en: 'Service' }, synonyms: ['послуга', 'service', 'usl', 'posl'] },
    { name: 'opening_balance', type: 'money', label: { uk: 'Вхідне сальдо', en: 'Opening balance' }, synonyms: ['сальдо', 'вхідне сальдо', 'борг', 'opening balance', 'balance', 'debt', 'saldo'] },
    { name: 'opened_on', type: 'date', label: { uk: 'Дата відкриття', en: 'Opened on' }, synonyms: ['дата відкриття', 'opened on', 'opened', 'd_open'] },
  ],
  charges: [
    { name: 'account', type: 'text', required: true, label: { uk: 'Особовий рахунок', en: 'Account number' }, synonyms: ['особовий рахунок', 'рахунок', 'account', 'own_num', 'ls', 'nls'] },
    { name: 'period', type: 'period', required: true, label: { uk: 'Період', en: 'Period' }, synonyms: ['період', 'місяць', 'period', 'month', 'per'] },
    { name: 'service', type: 'text', label: { uk: 'Послуга', en: 'Service' }, synonyms: ['послуга', 'service', 'usl'] },
    { name: 'volume', type: 'decimal', label: { uk: 'Обсяг', en: 'Volume' }, synonyms: ['обсяг', 'кількість', 'volume', 'qty', 'kol'] },
    { name: 'tariff', type: 'decimal', label: { uk: 'Тариф', en: 'Tariff' }, synonyms: ['тариф', 'tariff', 'tarif'] },
    { name: 'amount', type: 'money', required: true, label: { uk: 'Нараховано', en: 'Charged' }, synonyms: ['нараховано', 'сума', 'amount', 'charge', 'nach', 'sum'] },
    { name: 'recalculation', type: 'money', label: { uk: 'Перерахунок', en: 'Recalculation' }, synonyms: ['перерахунок', 'recalculation', 'perer'] },
    { name: 'benefit', type: 'money', label: { uk: 'Пільга', en: 'Benefit' }, synonyms: ['пільга', 'benefit', 'lgota', 'pilga'] },
    { name: 'subsidy', type: 'money', label: { uk: 'Субсидія', en: 'Subsidy' }, synonyms: ['субсидія', 'subsidy', 'subs'] },
  ],
  payments: [
    { name: 'account', type: 'text', required: true, label: { uk: 'Особовий рахунок', en: 'Account number' }, synonyms: ['особовий рахунок', 'рахунок', 'account', 'own_num', 'ls', 'nls'] },
    { name: 'paid_on', type: 'date', required: true, label: { uk: 'Дата оплати', en: 'Paid on' }, synonyms: ['дата оплати', 'дата', 'date', 'paid on', 'd_opl', 'data'] },
    { name: 'amount', type: 'money', required: true, label: { uk: 'Сума', en: 'Amount' }, synonyms: ['сума', 'оплачено', 'amount', 'sum', 'summa'] },
    { name: 'service', type: 'text', label: { uk: 'Послуга', en: 'Service' }, synonyms: ['послуга', 'service', 'usl'] },
    { name: 'reference', type: 'text', label: { uk: 'Номер документа', en: 'Reference' }, synonyms: ['номер документа', 'документ', 'reference', 'ref', 'n_doc'] },
  ],
  readings: [
    { name: 'account', type: 'text', required: true, label: { uk: 'Особовий рахунок', en: 'Account number' }, synonyms: ['особовий рахунок', 'рахунок', 'account', 'own_num', 'ls'] },
    { name: 'service', type: 'text', label: { uk: 'Послуга', en: 'Service' }, synonyms: ['послуга', 'service', 'usl'] },
    { name: 'meter', type: 'text', required: true, label: { uk: 'Заводський номер лічильника', en: 'Meter serial' }, synonyms: ['лічильник', 'номер лічильника', 'meter', 'serial', 'n_lich'] },
    { name: 'zone', type: 'text', label: { uk: 'Зона', en: 'Zone' }, synonyms: ['зона', 'zone'] },
    { name: 'reading_date', type: 'date', required: true, label: { uk: 'Дата показника', en: 'Reading date' }, synonyms: ['дата', 'дата показника', 'date', 'reading date'] },
    { name: 'value', type: 'decimal', required: true, label: { uk: 'Показник', en: 'Reading' }, synonyms: ['показник', 'показання', 'reading', 'value', 'pok'] },
    { name: 'verified_until', type: 'date', label: { uk: 'Повірка до', en: 'Verified until' }, synonyms: ['повірка', 'verified until', 'poverka'] },
  ],
};

export const DATE_FORMATS = ['DD.MM.YYYY', 'YYYY-MM-DD', 'DD/MM/YYYY', 'YYYYMMDD'] as const;
export const PERIOD_FORMATS = ['MM.YYYY', 'YYYY-MM', 'YYYYMM'] as const;

export const profileSettingsSchema = z.object({
  kind: z.enum(FILE_KINDS),
  format: z.enum(['csv', 'xlsx', 'dbf']).optional(),
  encoding: z.enum(TEXT_ENCODINGS as unknown as [string, ...string[]]).optional(),
  delimiter: z.string().min(1).max(1).optional(),
  sheet: z.union([z.string(), z.number().int().positive()]).optional(),
  /** Canonical field → the column title in the file. */
  columns: z.record(z.string(), z.string()).default({}),
  dateFormat: z.enum(DATE_FORMATS).default('DD.MM.YYYY'),
  periodFormat: z.enum(PERIOD_FORMATS).default('MM.YYYY'),
  /** The decimal separator; the other one, spaces and apostrophes are thousands separators. */
  decimalSeparator: z.enum([',', '.']).default(','),
  /** Money columns in hryvnias (1 234,50) or in whole kopecks (123450). */
  amountsIn: z.enum(['uah', 'kopecks']).default('uah'),
  /** The provider's service names or codes → the platform's service codes. */
  services: z.record(z.string(), z.string()).default({}),
  /** The service of every row when the file has no service column. */
  defaultService: z.string().optional(),
  /** Opening balances: the period ('YYYY-MM') they open. */
  openingPeriod: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional(),
});
export type ProfileSettings = z.infer<typeof profileSettingsSchema>;
export type ProfileInput = z.input<typeof profileSettingsSchema>;

/** A column title reduced to letters and digits, lower case, for comparing titles. */
export function titleKey(title: string): string {
  return title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** The mapping a person would most likely choose: canonical fields whose synonyms match a title. */
export function suggestColumns(kind: FileKind, headers: string[]): Record<string, string> {
  const byKey = new Map(headers.map((h) => [titleKey(h), h]));
  const taken = new Set<string>();
  const columns: Record<string, string> = {};
  for (const field of KIND_FIELDS[kind]) {
    for (const candidate of [field.name, ...field.synonyms]) {
      const header = byKey.get(titleKey(candidate));
      if (header && !taken.has(header)) {
        columns[field.name] = header;
        taken.add(header);
        break;
      }
    }
  }
  return columns;
}

export interface CellError {
  column: string;
  field: string;
  value: string;
  uk: string;
  en: string;
}

export type CanonicalValue = string | number | null;
export type CanonicalRecord = Record<string, CanonicalValue>;

/** Column positions of each mapped field, checked once per file: missing columns refuse the file. */
export interface ColumnPlan {
  fields: Array<{ spec: FieldSpec; column: string; index: number }>;
  missing: Array<{ field: string; column: string | null; label: Bilingual }>;
}

export function planColumns(settings: ProfileSettings, headers: string[]): ColumnPlan {
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
    const k = titleKey(h);
    if (!index.has(k)) index.set(k, i);
  });
  const mapping = Object.keys(settings.columns).length ? settings.columns : suggestColumns(settings.kind, headers);
  const plan: ColumnPlan = { fields: [], missing: [] };
  for (const spec of KIND_FIELDS[settings.kind]) {
    const column = mapping[spec.name];
    const at = column === undefined ? undefined : (index.get(column) ?? index.get(titleKey(column)));
    if (at !== undefined) plan.fields.push({ spec, column: column!, index: at });
    else if (spec.required || column !== undefined) plan.missing.push({ field: spec.name, column: column ?? null, label: spec.label });
  }
  const has = (f: string) => plan.fields.some((p) => p.spec.name === f);
  const needsAddress = settings.kind === 'addresses' || settings.kind === 'accounts';
  if (needsAddress && !has('address') && !(has('street') && has('house'))) {
    plan.missing.push({ field: 'address', column: mapping.address ?? null, label: { uk: 'Адреса (або вулиця і будинок)', en: 'Address (or street and house)' } });
  }
  if (settings.kind !== 'addresses' && !has('service') && !settings.defaultService) {
    // Without a service column every row needs the profile's default service.
    plan.missing.push({ field: 'service', column: mapping.service ?? null, label: { uk: 'Послуга (або послуга за замовчуванням у профілі)', en: 'Service (or the profile default service)' } });
  }
  return plan;
}

const SPACES = /[\s\u00a0\u202f\u2007\u2009'’]/g;

/** "1 234,5" → "1234.5" under the profile's decimal separator; null when it is not a number. */
export function normaliseDecimal(text: string, decimalSeparator: ',' | '.'): string | null {
  let s = text.replace(SPACES, '');
  if (decimalSeparator === ',') {
    if (s.includes('.') && s.includes(',')) s = s.replace(/\./g, '');
    s = s.replace(',', '.');
  } else {
    s = s.replace(/,/g, '');
  }
  s = s.replace(/^[−–]/, '-');
  return /^-?\d+(\.\d+)?$/.test(s) ? s.replace(/^(-?)0+(?=\d)/, '$1') : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** A date in the profile's format (ISO dates from XLSX cells are always accepted) → 'YYYY-MM-DD'. */
export function parseDate(text: string, format: ProfileSettings['dateFormat'], { shapeOnly = false } = {}): string | null {
  const s = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if (format === 'DD.MM.YYYY' && (m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s))) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if (format === 'DD/MM/YYYY' && (m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s))) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if (format === 'YYYYMMDD' && (m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  return shapeOnly || isRealDate(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null;
}

/** A month in the profile's format (or a full date) → its first day 'YYYY-MM-01'. */
export function parsePeriodText(text: string, format: ProfileSettings['periodFormat']): string | null {
  const s = text.trim();
  let m: RegExpExecArray | null;
  let y: number, mo: number;
  if ((m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(s))) [y, mo] = [Number(m[1]), Number(m[2])];
  else if (format === 'MM.YYYY' && (m = /^(?:\d{1,2}\.)?(\d{1,2})\.(\d{4})$/.exec(s))) [mo, y] = [Number(m[1]), Number(m[2])];
  else if (format === 'YYYYMM' && (m = /^(\d{4})(\d{2})$/.exec(s))) [y, mo] = [Number(m[1]), Number(m[2])];
  else return null;
  return isRealDate(y, mo, 1) ? `${y}-${pad(mo)}-01` : null;
}

function parseMoney(text: string, settings: ProfileSettings): { ok: true; value: number } | { ok: false; uk: string; en: string } {
  if (settings.amountsIn === 'kopecks') {
    const s = text.replace(SPACES, '');
    return /^-?\d+$/.test(s) && Number.isSafeInteger(Number(s))
      ? { ok: true, value: Number(s) }
      : { ok: false, uk: 'очікується ціле число копійок', en: 'a whole number of kopecks is expected' };
  }
  const decimal = normaliseDecimal(text, settings.decimalSeparator);
  if (decimal === null) return { ok: false, uk: 'це не сума в гривнях (приклад: 1 234,50)', en: 'not an amount in hryvnias (example: 1 234,50)' };
  // The common case, «-1234.5», is whole kopecks by arithmetic; anything else goes through parseUah.
  const m = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(decimal);
  if (m) {
    const kopecks = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
    return { ok: true, value: m[1] && kopecks !== 0 ? -kopecks : kopecks };
  }
  const parsed = parseUah(decimal);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, uk: parsed.reason.uk, en: parsed.reason.en };
}

/** One row's cells → typed canonical values, and a reason for every cell that cannot be read. */
export function readRow(plan: ColumnPlan, settings: ProfileSettings, values: string[]): { record: CanonicalRecord; errors: CellError[] } {
  const record: CanonicalRecord = {};
  const errors: CellError[] = [];
  for (const { spec, column, index } of plan.fields) {
    const raw = (values[index] ?? '').trim();
    if (raw === '') {
      record[spec.name] = null;
      if (spec.required) {
        errors.push({ column, field: spec.name, value: raw, uk: `не заповнено поле «${spec.label.uk}»`, en: `${spec.label.en} is empty` });
      }
      continue;
    }
    // A bad cell's reason (a helper function here would be created anew for every cell).
    let bad: [uk: string, en: string] | null = null;
    switch (spec.type) {
      case 'text':
        record[spec.name] = raw;
        break;
      case 'int': {
        const n = normaliseDecimal(raw, settings.decimalSeparator);
        if (n === null || !/^\d+(\.0+)?$/.test(n) || Number(n) > 1_000_000) bad = ['очікується ціле невід’ємне число', 'a whole non-negative number is expected'];
        else record[spec.name] = Math.trunc(Number(n));
        break;
      }
      case 'decimal': {
        const n = normaliseDecimal(raw, settings.decimalSeparator);
        if (n === null) bad = [`очікується число (десятковий роздільник «${settings.decimalSeparator}»)`, `a number is expected (decimal separator "${settings.decimalSeparator}")`];
        else record[spec.name] = n;
        break;
      }
      case 'money': {
        const m = parseMoney(raw, settings);
        if (m.ok) record[spec.name] = m.value;
        else bad = [m.uk, m.en];
        break;
      }
      case 'date': {
        const d = parseDate(raw, settings.dateFormat);
        // A date of the right shape that the calendar does not have (31.02.2026) is called that.
        if (d === null && parseDate(raw, settings.dateFormat, { shapeOnly: true }) !== null) bad = [`дати ${raw.trim()} не існує`, `there is no such date: ${raw.trim()}`];
        else if (d === null) bad = [`очікується дата у форматі ${settings.dateFormat}`, `a date in the format ${settings.dateFormat} is expected`];
        else record[spec.name] = d;
        break;
      }
      case 'period': {
        const p = parsePeriodText(raw, settings.periodFormat);
        if (p === null) bad = [`очікується місяць у форматі ${settings.periodFormat}`, `a month in the format ${settings.periodFormat} is expected`];
        else record[spec.name] = p;
        break;
      }
    }
    if (bad) errors.push({ column, field: spec.name, value: raw, uk: bad[0], en: bad[1] });
  }
  return { record, errors };
}

/** The whole address of a row: the address column, or street type, street, house and apartment joined. */
export function addressText(record: CanonicalRecord): string {
  if (record.address) return String(record.address);
  const parts = [[record.street_type, record.street].filter(Boolean).join(' '), record.house ? `буд. ${record.house}` : '', record.apartment ? formatApartment(String(record.apartment)) : ''];
  return parts.filter(Boolean).join(', ');
}

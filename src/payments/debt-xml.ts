/**
 * The PrivatBank "Debt" XML interface, after its published shape (not its code):
 * `<Transfer interface="Debt" action="Presearch|Search|Check|Pay|Cancel"><Data …/></Transfer>`.
 * Requests (amounts in hryvnias with a dot):
 *   Presearch / Search  <Data xsi:type="Payer" billIdentifier="UNIFIED"/>
 *   Check               <Data xsi:type="Payment" billIdentifier="…"><TotalSum>12.50</TotalSum>
 *                         <ServiceGroup><Service serviceCode="heating" sum="12.50"/></ServiceGroup></Data>
 *   Pay                 <Data xsi:type="Payment" id="BANK-TXN" billIdentifier="…" checkReference="…"><TotalSum>…</TotalSum>…</Data>
 *   Cancel              <Data xsi:type="Payment" id="BANK-TXN"/>
 * Meter readings ride in a Pay (or Check) the way the protocol carries counters: a `MeterData`
 * block of `Meter` elements, inside the `Service` they belong to or directly in `Data`:
 *   <MeterData><Meter serial="CW-1" currentValue="150"/></MeterData>
 *   (or meterId="7" instead of serial; a two- or three-zone meter adds currentValue2/currentValue3;
 *   values in the meter's units, a dot before up to three decimals).
 * A Pay's answer carries a verdict per reading: <Gateway reference="…"><MeterData><Meter serial=…
 * meterId=… status="accepted|needs_review|rejected"><Message>…</Message></Meter></MeterData>.
 * Answers: PayersTable (Presearch), DebtPack (Search), Gateway with a reference (Check, Pay,
 * Cancel), and ErrorInfo code 2 (not found), 7 (duplicate: the id was used with other data) or
 * 99 (anything else, with a message). Parsing and building only; debt.ts runs the actions.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatUahPlain, parseUah } from '../shared/money';
import { formatPeriodCompact } from '../shared/period';
import type { SplitPart } from './allocate';
import type { HouseholdDebt } from './service';

export const DEBT_ACTIONS = ['Presearch', 'Search', 'Check', 'Pay', 'Cancel'] as const;
export type DebtAction = (typeof DEBT_ACTIONS)[number];

/** A meter reading as the Debt protocol brings it (see the head of this file). */
export interface DebtReading {
  meterId?: number;
  serial?: string;
  /** The service whose `Service` element carried it (tells meters of two services apart). */
  serviceCode?: string;
  /** One per zone, as written: 1 to 3. */
  values: string[];
}

export interface DebtRequest {
  action: DebtAction;
  billIdentifier?: string;
  txnId?: string;
  checkReference?: string;
  amount?: number;
  split?: SplitPart[];
  readings?: DebtReading[];
}

/** A reading's verdict as a Pay's answer gives it back. */
export interface DebtReadingVerdict {
  serial?: string;
  meterId: number | null;
  status: string;
  message: string;
}

export const MAX_DEBT_READINGS = 20;

export class DebtProtocolError extends Error {
  constructor(
    readonly code: 2 | 7 | 99,
    message: string,
  ) {
    super(message);
  }
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseAttributeValue: false, parseTagValue: false, isArray: (name) => name === 'Service' || name === 'Meter' || name === 'MeterData' });

const READING_VALUE = /^\d{1,11}(\.\d{1,3})?$/;

/** The `Meter` elements of the `MeterData` blocks under `node`; a malformed one refuses the request. */
function meters(node: Record<string, any> | undefined, where: string, serviceCode?: string): DebtReading[] {
  const blocks = (node?.MeterData as Array<Record<string, any>> | undefined) ?? [];
  const out: DebtReading[] = [];
  for (const block of blocks) {
    for (const [i, m] of ((typeof block === 'object' && (block.Meter as Array<Record<string, unknown>>)) || []).entries()) {
      const at = `${where}MeterData/Meter[${i}]`;
      const bad = (uk: string, en: string) => new DebtProtocolError(99, `${at}: ${uk} / ${en}`);
      const serial = m['@serial'] === undefined ? undefined : String(m['@serial']).trim();
      const idText = m['@meterId'] === undefined ? undefined : String(m['@meterId']).trim();
      if (!serial && !idText) throw bad('немає serial чи meterId лічильника', 'no meter serial or meterId');
      if (serial !== undefined && (serial.length === 0 || serial.length > 64)) throw bad(`serial «${serial}» — 1–64 символи`, `serial "${serial}" must be 1–64 characters`);
      if (idText !== undefined && !/^[1-9]\d{0,9}$/.test(idText)) throw bad(`meterId «${idText}» — не номер лічильника`, `meterId "${idText}" is not a meter id`);
      const values: string[] = [];
      for (const [z, attr] of ['@currentValue', '@currentValue2', '@currentValue3'].entries()) {
        const v = m[attr];
        if (v === undefined) break;
        const text = String(v).trim();
        if (!READING_VALUE.test(text)) throw bad(`${attr.slice(1)} «${text}» — не показник (цифри, крапка, до 3 знаків після неї)`, `${attr.slice(1)} "${text}" is not a reading (digits, a dot, up to 3 decimals)`);
        values.push(text);
        if (z === 0 && m['@currentValue2'] === undefined && m['@currentValue3'] !== undefined) throw bad('є currentValue3 без currentValue2', 'currentValue3 without currentValue2');
      }
      if (values.length === 0) throw bad('немає currentValue', 'no currentValue');
      out.push({ ...(idText ? { meterId: Number(idText) } : { serial: serial! }), ...(serviceCode ? { serviceCode } : {}), values });
    }
  }
  return out;
}
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', suppressEmptyNode: true, format: false });

function kopecks(text: unknown, where: string): number {
  const r = parseUah(String(text ?? ''));
  if (!r.ok) throw new DebtProtocolError(99, `${where}: ${r.reason.uk} / ${r.reason.en}`);
  if (r.value <= 0) throw new DebtProtocolError(99, `${where}: «${String(text ?? '')}» — не сума більша за нуль / not an amount above zero`);
  return r.value;
}

/** The request's action when the XML says one the protocol knows (for the ErrorInfo of a request refused before it is read), else 'Unknown'. */
export function debtActionOf(xml: string): string {
  try {
    const action = (parser.parse(xml) as Record<string, any>)?.Transfer?.['@action'];
    return DEBT_ACTIONS.includes(action) ? action : 'Unknown';
  } catch {
    return 'Unknown';
  }
}

export function parseDebtRequest(xml: string): DebtRequest {
  if (XMLValidator.validate(xml) !== true) throw new DebtProtocolError(99, 'Некоректний XML / malformed XML');
  const doc = parser.parse(xml) as Record<string, any>;
  const transfer = doc.Transfer;
  if (!transfer || transfer['@interface'] !== 'Debt') throw new DebtProtocolError(99, 'Очікується <Transfer interface="Debt"> / expected <Transfer interface="Debt">');
  const action = transfer['@action'];
  if (!DEBT_ACTIONS.includes(action)) throw new DebtProtocolError(99, `Невідома дія «${String(action)}» / unknown action`);
  const data = (typeof transfer.Data === 'object' && transfer.Data) || {};
  const req: DebtRequest = { action };
  if (data['@billIdentifier']) req.billIdentifier = String(data['@billIdentifier']);
  if (data['@id']) req.txnId = String(data['@id']);
  if (data['@checkReference']) req.checkReference = String(data['@checkReference']);
  if (data.TotalSum !== undefined) req.amount = kopecks(data.TotalSum, 'TotalSum');
  const services = data.ServiceGroup?.Service as Array<Record<string, unknown>> | undefined;
  if (services?.length) req.split = services.map((s, i) => ({ serviceCode: String(s['@serviceCode'] ?? ''), amount: kopecks(s['@sum'], `Service[${i}]/@sum`) }));
  const readings = [...meters(data, ''), ...(services ?? []).flatMap((s, i) => meters(s as Record<string, any>, `Service[${i}]/`, s['@serviceCode'] ? String(s['@serviceCode']) : undefined))];
  if (readings.length > 0) {
    if (action !== 'Pay' && action !== 'Check') throw new DebtProtocolError(99, `${action}: показники лічильників приймаються лише з Pay / meter readings come only with a Pay`);
    if (readings.length > MAX_DEBT_READINGS) throw new DebtProtocolError(99, `Показників ${readings.length}, більше за ${MAX_DEBT_READINGS} / ${readings.length} readings, more than ${MAX_DEBT_READINGS}`);
    req.readings = readings;
  }
  const need = (field: keyof DebtRequest, name: string) => {
    if (req[field] === undefined) throw new DebtProtocolError(99, `${action}: немає ${name} / ${name} is missing`);
  };
  if (action !== 'Cancel') need('billIdentifier', 'billIdentifier');
  if (action === 'Check' || action === 'Pay') need('amount', 'TotalSum');
  if (action === 'Pay' || action === 'Cancel') need('txnId', 'id');
  return req;
}

const transfer = (action: string, data: Record<string, unknown>) =>
  `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ Transfer: { '@xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', '@interface': 'Debt', '@action': action, Data: data } })}`;

export function debtPackXml(debt: HouseholdDebt): string {
  return transfer('Search', {
    '@xsi:type': 'DebtPack',
    '@billPeriod': formatPeriodCompact(debt.period),
    PayerInfo: { '@billIdentifier': debt.unifiedAccount, Fio: debt.payer ?? '', Address: debt.address },
    ServiceGroup: {
      DebtService: debt.lines.map((l) => ({
        '@serviceCode': l.serviceCode,
        CompanyInfo: { CompanyCode: l.providerEdrpou, CompanyName: l.provider },
        DebtInfo: { '@amountToPay': formatUahPlain(l.toPay), '@debt': formatUahPlain(l.toPay - l.advance) },
        ServiceName: l.service,
        PayerInfo: { '@ls': l.accountNumber },
      })),
    },
    TotalSum: formatUahPlain(debt.total),
  });
}

export function payersTableXml(debt: HouseholdDebt): string {
  return transfer('Presearch', {
    '@xsi:type': 'PayersTable',
    Headers: { Header: [{ '@name': 'billIdentifier' }, { '@name': 'fio' }, { '@name': 'address' }] },
    Columns: { Column: { Element: [debt.unifiedAccount, debt.payer ?? '', debt.address] } },
  });
}

export function gatewayXml(action: DebtAction, reference: string, verdicts?: readonly DebtReadingVerdict[]): string {
  return transfer(action, {
    '@xsi:type': 'Gateway',
    '@reference': reference,
    ...(verdicts?.length
      ? {
          MeterData: {
            Meter: verdicts.map((v) => ({
              ...(v.serial !== undefined ? { '@serial': v.serial } : {}),
              ...(v.meterId !== null ? { '@meterId': String(v.meterId) } : {}),
              '@status': v.status,
              ...(v.message ? { Message: v.message } : {}),
            })),
          },
        }
      : {}),
  });
}

export function errorInfoXml(action: string, code: number, message: string): string {
  return transfer(action, { '@xsi:type': 'ErrorInfo', '@code': String(code), Message: message });
}

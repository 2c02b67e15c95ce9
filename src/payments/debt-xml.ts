/**
 * The PrivatBank "Debt" XML interface, after its published shape (not its code):
 * `<Transfer interface="Debt" action="Presearch|Search|Check|Pay|Cancel"><Data …/></Transfer>`.
 * Requests (amounts in hryvnias with a dot):
 *   Presearch / Search  <Data xsi:type="Payer" billIdentifier="UNIFIED"/>
 *   Check               <Data xsi:type="Payment" billIdentifier="…"><TotalSum>12.50</TotalSum>
 *                         <ServiceGroup><Service serviceCode="heating" sum="12.50"/></ServiceGroup></Data>
 *   Pay                 <Data xsi:type="Payment" id="BANK-TXN" billIdentifier="…" checkReference="…"><TotalSum>…</TotalSum>…</Data>
 *   Cancel              <Data xsi:type="Payment" id="BANK-TXN"/>
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

export interface DebtRequest {
  action: DebtAction;
  billIdentifier?: string;
  txnId?: string;
  checkReference?: string;
  amount?: number;
  split?: SplitPart[];
}

export class DebtProtocolError extends Error {
  constructor(
    readonly code: 2 | 7 | 99,
    message: string,
  ) {
    super(message);
  }
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseAttributeValue: false, parseTagValue: false, isArray: (name) => name === 'Service' });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', suppressEmptyNode: true, format: false });

function kopecks(text: unknown, where: string): number {
  const r = parseUah(String(text ?? ''));
  if (!r.ok || r.value <= 0) throw new DebtProtocolError(99, `${where}: «${String(text ?? '')}» — не сума в гривнях більша за нуль / not an amount above zero`);
  return r.value;
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

export function gatewayXml(action: DebtAction, reference: string): string {
  return transfer(action, { '@xsi:type': 'Gateway', '@reference': reference });
}

export function errorInfoXml(action: string, code: number, message: string): string {
  return transfer(action, { '@xsi:type': 'ErrorInfo', '@code': String(code), Message: message });
}

import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { DebtProtocolError, debtPackXml, errorInfoXml, parseDebtRequest } from './debt-xml';

const transfer = (action: string, data: string) => `<?xml version="1.0" encoding="UTF-8"?><Transfer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" interface="Debt" action="${action}">${data}</Transfer>`;

describe('Debt XML', () => {
  it('reads a Pay with its split, amounts in hryvnias', () => {
    const xml = transfer('Pay', '<Data xsi:type="Payment" id="PB-1" billIdentifier="1000011" checkReference="r1"><TotalSum>158.23</TotalSum><ServiceGroup><Service serviceCode="heating" sum="100.00"/><Service serviceCode="waste" sum="58.23"/></ServiceGroup></Data>');
    expect(parseDebtRequest(xml)).toEqual({
      action: 'Pay',
      txnId: 'PB-1',
      billIdentifier: '1000011',
      checkReference: 'r1',
      amount: 15823,
      split: [
        { serviceCode: 'heating', amount: 10000 },
        { serviceCode: 'waste', amount: 5823 },
      ],
    });
  });

  it.each([
    ['malformed XML', '<Transfer interface="Debt" action="Search"><Data>', /malformed/],
    ['another interface', transfer('Search', '').replace('interface="Debt"', 'interface="Other"'), /interface="Debt"/],
    ['an unknown action', transfer('Delete', '<Data billIdentifier="1"/>'), /unknown action/],
    ['a Search without the account', transfer('Search', '<Data xsi:type="Payer"/>'), /billIdentifier/],
    ['a Pay without an id', transfer('Pay', '<Data billIdentifier="1"><TotalSum>1.00</TotalSum></Data>'), /id is missing/],
    ['a zero sum', transfer('Check', '<Data billIdentifier="1"><TotalSum>0.00</TotalSum></Data>'), /TotalSum/],
    ['a sum with a comma thousands', transfer('Check', '<Data billIdentifier="1"><TotalSum>1,234.00</TotalSum></Data>'), /TotalSum/],
  ])('refuses %s with code 99', (_what, xml, message) => {
    let caught: unknown;
    try {
      parseDebtRequest(xml);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DebtProtocolError);
    expect((caught as DebtProtocolError).code).toBe(99);
    expect((caught as Error).message).toMatch(message);
  });

  it('writes a DebtPack with the period, the payer and a line per service', () => {
    const xml = debtPackXml({
      unifiedAccount: '1000011',
      premiseId: 1,
      address: 'вул. Соборна, буд. 1, кв. 1',
      payer: 'К***ь О.',
      period: '2026-12-01',
      lines: [{ serviceCode: 'heating', service: 'Опалення', serviceEn: 'Heating', provider: 'Теплоенерго', providerEdrpou: '03341316', accountNumber: 'Т-1', toPay: 45678, advance: 0 }],
      total: 45678,
      advance: 0,
    });
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false }).parse(xml);
    expect(doc.Transfer.Data['@billPeriod']).toBe('202612');
    expect(doc.Transfer.Data.PayerInfo.Fio).toBe('К***ь О.');
    expect(doc.Transfer.Data.ServiceGroup.DebtService['@serviceCode']).toBe('heating');
    expect(doc.Transfer.Data.ServiceGroup.DebtService.DebtInfo['@amountToPay']).toBe('456.78');
    expect(doc.Transfer.Data.ServiceGroup.DebtService.CompanyInfo.CompanyCode).toBe('03341316');
  });

  it('escapes messages in ErrorInfo', () => {
    expect(errorInfoXml('Pay', 7, 'a <b> & c')).toContain('code="7"');
    expect(errorInfoXml('Pay', 7, 'a <b> & c')).not.toContain('<b>');
  });
});

import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { debtActionOf, DebtProtocolError, debtPackXml, errorInfoXml, gatewayXml, parseDebtRequest } from './debt-xml';

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

  it('reads meter readings in MeterData, inside a Service (with its service) or directly in Data', () => {
    const xml = transfer(
      'Pay',
      '<Data xsi:type="Payment" id="PB-2" billIdentifier="1000011"><TotalSum>100.00</TotalSum>' +
        '<ServiceGroup><Service serviceCode="cold_water" sum="60.00"><MeterData><Meter serial="CW-1" currentValue="150"/><Meter meterId="12" currentValue="7.125"/></MeterData></Service>' +
        '<Service serviceCode="electricity" sum="40.00"/></ServiceGroup>' +
        '<MeterData><Meter serial="EL-9" currentValue="1200" currentValue2="800.5"/></MeterData></Data>',
    );
    const req = parseDebtRequest(xml);
    expect(req.split).toEqual([
      { serviceCode: 'cold_water', amount: 6000 },
      { serviceCode: 'electricity', amount: 4000 },
    ]);
    expect(req.readings).toEqual([
      { serial: 'EL-9', values: ['1200', '800.5'] },
      { serial: 'CW-1', serviceCode: 'cold_water', values: ['150'] },
      { meterId: 12, serviceCode: 'cold_water', values: ['7.125'] },
    ]);
  });

  it('a Pay without MeterData has no readings', () => {
    expect(parseDebtRequest(transfer('Pay', '<Data id="PB-3" billIdentifier="1"><TotalSum>1.00</TotalSum></Data>')).readings).toBeUndefined();
  });

  const payWith = (meter: string) => transfer('Pay', `<Data id="PB-4" billIdentifier="1"><TotalSum>1.00</TotalSum><MeterData>${meter}</MeterData></Data>`);
  it.each([
    ['a reading naming no meter', payWith('<Meter currentValue="5"/>'), /no meter serial or meterId/],
    ['a reading with no value', payWith('<Meter serial="A"/>'), /no currentValue/],
    ['a value with a comma', payWith('<Meter serial="A" currentValue="5,5"/>'), /currentValue "5,5" is not a reading/],
    ['a negative value', payWith('<Meter serial="A" currentValue="-5"/>'), /is not a reading/],
    ['four decimals', payWith('<Meter serial="A" currentValue="5.1234"/>'), /is not a reading/],
    ['a bad second zone', payWith('<Meter serial="A" currentValue="5" currentValue2="x"/>'), /currentValue2 "x"/],
    ['a third zone without a second', payWith('<Meter serial="A" currentValue="5" currentValue3="6"/>'), /currentValue3 without currentValue2/],
    ['a meter id that is no number', payWith('<Meter meterId="7a" currentValue="5"/>'), /meterId "7a"/],
    ['more than twenty readings', payWith('<Meter serial="A" currentValue="5"/>'.repeat(21)), /more than 20/],
    ['readings with a Search', transfer('Search', '<Data billIdentifier="1"><MeterData><Meter serial="A" currentValue="5"/></MeterData></Data>'), /only with a Pay/],
  ])('refuses %s with code 99, naming where', (_what, xml, message) => {
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

  it('writes a Pay answer with a verdict per reading, and none when there were none', () => {
    const xml = gatewayXml('Pay', '41', [
      { serial: 'CW-1', meterId: 1, status: 'accepted', message: '' },
      { serial: 'XX', meterId: null, status: 'rejected', message: 'Невідомий лічильник / unknown meter' },
    ]);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (n) => n === 'Meter' }).parse(xml);
    expect(doc.Transfer.Data['@reference']).toBe('41');
    expect(doc.Transfer.Data.MeterData.Meter).toEqual([
      { '@serial': 'CW-1', '@meterId': '1', '@status': 'accepted' },
      { '@serial': 'XX', '@status': 'rejected', Message: 'Невідомий лічильник / unknown meter' },
    ]);
    expect(gatewayXml('Pay', '41')).not.toContain('MeterData');
  });

  it.each([
    ['malformed XML', '<Transfer interface="Debt" action="Search"><Data>', /malformed/],
    ['another interface', transfer('Search', '').replace('interface="Debt"', 'interface="Other"'), /interface="Debt"/],
    ['an unknown action', transfer('Delete', '<Data billIdentifier="1"/>'), /unknown action/],
    ['a Search without the account', transfer('Search', '<Data xsi:type="Payer"/>'), /billIdentifier/],
    ['a Pay without an id', transfer('Pay', '<Data billIdentifier="1"><TotalSum>1.00</TotalSum></Data>'), /id is missing/],
    ['a zero sum', transfer('Check', '<Data billIdentifier="1"><TotalSum>0.00</TotalSum></Data>'), /TotalSum/],
    ['a sum with a comma thousands', transfer('Check', '<Data billIdentifier="1"><TotalSum>1,234.00</TotalSum></Data>'), /TotalSum/],
    ['a sum of fractions of a kopeck, saying why', transfer('Pay', '<Data id="x" billIdentifier="1"><TotalSum>5.005</TotalSum></Data>'), /TotalSum: .*копій|TotalSum: .*kopeck/i],
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

  it('names the action of a request refused before it is read, when the XML says a known one', () => {
    expect(debtActionOf(transfer('Pay', '<Data id="x" billIdentifier="1"><TotalSum>0</TotalSum></Data>'))).toBe('Pay');
    expect(debtActionOf(transfer('Delete', '<Data/>'))).toBe('Unknown');
    expect(debtActionOf('<Transfer interface="Debt" action="Search"><Data>')).toBe('Search');
    expect(debtActionOf('not xml at all')).toBe('Unknown');
  });

  it('escapes messages in ErrorInfo', () => {
    expect(errorInfoXml('Pay', 7, 'a <b> & c')).toContain('code="7"');
    expect(errorInfoXml('Pay', 7, 'a <b> & c')).not.toContain('<b>');
  });
});

import { describe, expect, it } from 'vitest';
import { ledgerReason } from './labels';

describe('a ledger entry’s reason in words', () => {
  it.each([
    ['provider charges', 'нарахування з файлу постачальника', "charges from the provider's file"],
    ['import:benefit:provider charges', 'виправлення імпорту (пільга)', 'an import corrected (benefit)'],
    ['import:payment:corrected payment:12:2026-11-05:n:1', 'виправлення імпорту (оплата)', 'an import corrected (payment)'],
    ['payment:12:2026-11-05:ref:P-1', 'оплата з файлу постачальника', "a payment from the provider's file"],
    ['Помилка в показнику за жовтень', 'Помилка в показнику за жовтень', 'Помилка в показнику за жовтень'],
  ])('«%s»', (reason, uk, en) => expect(ledgerReason(reason)).toEqual({ uk, en }));
});

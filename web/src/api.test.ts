import { describe, expect, it } from 'vitest';
import { ApiError, errorMessages, labelledMessages } from './api';

// A refusal that names fields is said with the form's labels, each field once (issue 17).
const labels = { amount: { uk: 'Сума, ₴', en: 'Amount, ₴' }, reason: { uk: 'Підстава', en: 'Reason' }, period: { uk: 'Період', en: 'Period' } };
const validation = (fields: string[]) =>
  new ApiError(400, 'validation', { uk: 'Некоректні дані: перевірте поля (2)', en: 'Invalid input: check the fields (2)' }, { issues: fields.map((field) => ({ field, message: 'Too small' })) });

describe('labelledMessages', () => {
  it.each([
    [['amount', 'reason'], 'Перевірте поля: «Сума, ₴»; «Підстава»', 'Check the fields: “Amount, ₴”; “Reason”'],
    [['period'], 'Перевірте поле «Період»', 'Check the field “Period”'],
    // A field the form does not show keeps the server's words, which name no internal field.
    [['tiers.0.price'], 'Некоректні дані: перевірте поля (2)', 'Invalid input: check the fields (2)'],
    // The same field twice in the server's issues is named once.
    [['amount', 'amount'], 'Перевірте поле «Сума, ₴»', 'Check the field “Amount, ₴”'],
    // A nested field takes its parent's label; two under one label are named once.
    [['reason.0', 'reason.3', 'period'], 'Перевірте поля: «Підстава»; «Період»', 'Check the fields: “Reason”; “Period”'],
  ])('%j → %s', (fields, uk, en) => {
    expect(labelledMessages(validation(fields), labels)).toEqual({ uk, en });
  });

  it("keeps each field's own reason, and does not repeat a label the reason already names", () => {
    const error = new ApiError(422, 'invalid_fields', { uk: 'x', en: 'x' }, {
      issues: [
        { field: 'name', message_uk: 'Поле «Назва» не заповнене', message_en: 'The field "Name" is empty' },
        { field: 'edrpou', message_uk: 'має бути 8 цифр', message_en: 'must be 8 digits' },
      ],
    });
    const m = labelledMessages(error, { name: { uk: 'Назва', en: 'Name' }, edrpou: { uk: 'ЄДРПОУ', en: 'EDRPOU' } });
    expect(m.uk).toBe('Поле «Назва» не заповнене; «ЄДРПОУ»: має бути 8 цифр');
    expect(m.en).toBe('The field "Name" is empty; “EDRPOU”: must be 8 digits');
  });

  it("a domain refusal about one field keeps the server's sentence", () => {
    const closed = new ApiError(409, 'period_closed', { uk: 'Період 2026-11 закрито: вкажіть наступний відкритий', en: 'Period 2026-11 is closed' }, { field: 'period' });
    expect(labelledMessages(closed, labels)).toEqual(closed.messages);
  });

  it('without labels, errorMessages gives the server’s words', () => {
    expect(errorMessages(validation(['amount']))).toEqual({ uk: 'Некоректні дані: перевірте поля (2)', en: 'Invalid input: check the fields (2)' });
  });
});

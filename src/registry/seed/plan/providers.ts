/** Providers as planned for a city (their templates are in ../providers.ts). */
import { edrpouCheckDigit, generateValidIban } from '../../../shared/identifiers';
import { BANK_CODES, type ProviderGroup } from '../providers';
import type { Random } from '../random';

// ---------------------------------------------------------------------------------------------
// Providers
// ---------------------------------------------------------------------------------------------

export interface ProviderPlan {
  ordinal: number;
  key: string;
  name: string;
  shortName: string;
  group: ProviderGroup;
  weight: number;
  edrpou: string;
  iban: string;
  phone: string;
  email: string;
  address: string;
  accountNumber(n: number): string;
}

export function identityFor(rng: Random, used: Set<string>): { edrpou: string; iban: string } {
  let edrpou: string;
  do {
    // Legal entities registered since the 1990s mostly have codes starting 0–4.
    const body = String(rng.int(200_000, 4_499_999)).padStart(7, '0');
    edrpou = body + String(edrpouCheckDigit(body));
  } while (used.has(edrpou));
  used.add(edrpou);
  // 2600 is the balance account of a legal entity's current account.
  const iban = generateValidIban(rng.pick(BANK_CODES), `2600${rng.digits(10)}`);
  return { edrpou, iban };
}

/**
 * The demo city's bill design, so that its bills, their QR and the residents' portal work on the
 * first visit. The payee is a synthetic city computing centre with a valid-looking IBAN and
 * ЄДРПОУ (checksums right, not a real account); a real community saves its own on the design page.
 */
import type { Db } from '../db/index';
import { edrpouCheckDigit, generateValidIban } from '../shared/identifiers';

const EDRPOU_BODY = '4412345';

export async function seedDemoBillDesign(db: Db, communityId: number): Promise<void> {
  await db
    .insertInto('bill_design')
    .values({
      community_id: communityId,
      recipient_name: 'КП «Міський інформаційно-обчислювальний центр» (синтетичні дані)',
      collecting_iban: generateValidIban('305299', '26005000001234'),
      recipient_code: EDRPOU_BODY + String(edrpouCheckDigit(EDRPOU_BODY)),
      locality: 'м. Вінниця',
      contacts: ['Гаряча лінія 0 800 500 000 (демо)'],
    })
    .onConflict((oc) => oc.column('community_id').doNothing())
    .execute();
}

import type { Bilingual } from '../../i18n';
import type { Management, PremiseKind } from './types';

export const MANAGEMENT_LABEL: Record<Management, Bilingual> = {
  osbb: { uk: 'ОСББ', en: 'Condominium (OSBB)' },
  company: { uk: 'Управляюча компанія', en: 'Management company' },
  none: { uk: 'Без управителя', en: 'Not managed' },
};

export const PREMISE_KIND_LABEL: Record<PremiseKind, Bilingual> = {
  residential: { uk: 'житлове', en: 'residential' },
  non_residential: { uk: 'нежитлове', en: 'non-residential' },
};

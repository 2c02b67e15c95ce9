import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ApiError, errorMessages } from '../api';
import { useT, type Bilingual } from '../i18n';

/** What a failed save says: a message per field (shown beside it) and the rest as one alert. */
export interface SaveFailure {
  fields: Record<string, Bilingual>;
  general: Bilingual | null;
}

export function saveFailureOf(error: unknown, knownFields: string[]): SaveFailure {
  const fields = error instanceof ApiError ? error.fieldErrors() : {};
  const shown = Object.fromEntries(Object.entries(fields).filter(([field]) => knownFields.includes(field)));
  // When no field of the form is named, the message would otherwise go unseen: show it on top.
  return { fields: shown, general: Object.keys(shown).length > 0 ? null : errorMessages(error) };
}

export function FormError({ failure }: { failure: SaveFailure | null }) {
  const t = useT();
  if (!failure?.general) return null;
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle />} title={t({ uk: 'Не збережено', en: 'Not saved' })} role="alert">
      {t(failure.general)}
    </Alert>
  );
}

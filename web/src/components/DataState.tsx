import type { ReactNode } from 'react';
import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { errorMessages } from '../api';
import { useT } from '../i18n';
import type { ApiState } from '../useApiGet';

/** Shows a loader, an error in words with a retry button, or the loaded data. */
export function DataState<T>({ state, children }: { state: ApiState<T>; children: (data: T) => ReactNode }) {
  const t = useT();
  if (state.error !== undefined) return <ErrorAlert error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) {
    return (
      <Group gap="sm" py="md">
        <Loader size="sm" />
        <Text c="dimmed">{t('app.loading')}</Text>
      </Group>
    );
  }
  return <>{children(state.data)}</>;
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle />} title={t('app.error')} role="alert">
      <Text>{t(errorMessages(error))}</Text>
      {onRetry && (
        <Button mt="sm" variant="white" color="red" onClick={onRetry}>
          {t('app.retry')}
        </Button>
      )}
    </Alert>
  );
}

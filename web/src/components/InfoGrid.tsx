import type { ReactNode } from 'react';
import { SimpleGrid, Stack, Text } from '@mantine/core';

/** Label-and-value pairs of a card, in a grid that folds to one column on a phone. */
export function InfoGrid({ items }: { items: Array<{ label: string; value: ReactNode }> }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="lg" verticalSpacing="md">
      {items.map((item) => (
        <Stack gap={2} key={item.label}>
          <Text size="sm" c="dimmed">
            {item.label}
          </Text>
          <Text size="lg" fw={500}>
            {item.value === '' || item.value === null || item.value === undefined ? '—' : item.value}
          </Text>
        </Stack>
      ))}
    </SimpleGrid>
  );
}

import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { Badge, Group, Loader, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBuilding, IconDoor, IconSearch } from '@tabler/icons-react';
import { useT } from '../../i18n';
import { useApiGet } from '../../useApiGet';
import { ErrorAlert } from '../../components/DataState';
import type { AddressHit } from './types';

const MIN_QUERY = 2;

function hitPath(hit: AddressHit): string {
  return hit.kind === 'premise' && hit.premiseId !== null ? `/premises/${hit.premiseId}` : `/buildings/${hit.buildingId}`;
}

/**
 * One text box; results appear as the person types (debounced). ↑/↓ choose a result, Enter opens
 * it (the first one when none is chosen). The server understands «київська 12а», «Kyivska 12-A»…
 */
export function AddressSearch({ autoFocus = false }: { autoFocus?: boolean }) {
  const t = useT();
  const navigate = useNavigate();
  const listId = useId();
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 250);
  const [active, setActive] = useState(-1);
  const search = useApiGet<{ items: AddressHit[] }>(query.length >= MIN_QUERY ? '/addresses/search' : null, { q: query });
  const hits = query.length >= MIN_QUERY ? (search.data?.items ?? []) : [];

  useEffect(() => setActive(-1), [search.data]);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' && hits.length > 0) {
      event.preventDefault();
      setActive((index) => (index + 1) % hits.length);
    } else if (event.key === 'ArrowUp' && hits.length > 0) {
      event.preventDefault();
      setActive((index) => (index <= 0 ? hits.length - 1 : index - 1));
    } else if (event.key === 'Enter' && hits.length > 0) {
      event.preventDefault();
      navigate(hitPath(hits[Math.max(active, 0)]));
    } else if (event.key === 'Escape') {
      setText('');
    }
  }

  const waiting = text.trim().length >= MIN_QUERY && (text.trim() !== query || search.loading);

  return (
    <Stack gap="sm">
      <TextInput
        size="lg"
        label={t({ uk: 'Адреса', en: 'Address' })}
        description={t({
          uk: 'Вулиця і номер будинку, можна з квартирою: «київська 12а», «просп. Миру 5, кв. 12»',
          en: 'Street and house number, optionally the apartment: «Kyivska 12-A», «Myru ave 5, apt 12»',
        })}
        placeholder={t({ uk: 'Почніть вводити адресу…', en: 'Start typing an address…' })}
        leftSection={<IconSearch size={22} />}
        rightSection={waiting ? <Loader size="sm" /> : null}
        value={text}
        autoFocus={autoFocus}
        autoComplete="off"
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-controls={listId}
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
      />
      {search.error !== undefined && query.length >= MIN_QUERY ? <ErrorAlert error={search.error} onRetry={search.reload} /> : null}
      {query.length >= MIN_QUERY && !waiting && search.error === undefined && hits.length === 0 ? (
        <Text c="dimmed" size="md">
          {t({ uk: 'За цією адресою нічого не знайдено. Перевірте назву вулиці та номер будинку.', en: 'Nothing found at this address. Check the street name and house number.' })}
        </Text>
      ) : null}
      {hits.length > 0 && (
        <Paper withBorder role="listbox" id={listId} aria-label={t({ uk: 'Знайдені адреси', en: 'Addresses found' })}>
          {hits.map((hit, index) => {
            const HitIcon = hit.kind === 'premise' ? IconDoor : IconBuilding;
            return (
              <UnstyledButton
                key={`${hit.kind}-${hit.premiseId ?? hit.buildingId}`}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                onClick={() => navigate(hitPath(hit))}
                onMouseEnter={() => setActive(index)}
                w="100%"
                px="md"
                py="sm"
                bg={index === active ? 'blue.0' : undefined}
                style={{ borderTop: index > 0 ? '1px solid var(--mantine-color-gray-2)' : undefined }}
              >
                <Group justify="space-between" wrap="nowrap">
                  <Group gap="sm" wrap="nowrap">
                    <HitIcon size={22} color="var(--mantine-color-blue-7)" />
                    <Text size="md" fw={500}>
                      {hit.address}
                    </Text>
                  </Group>
                  <Group gap="xs" wrap="nowrap">
                    {hit.unifiedAccount && (
                      <Text size="sm" c="dimmed" ff="monospace">
                        {hit.unifiedAccount}
                      </Text>
                    )}
                    <Badge variant="light" color={hit.kind === 'premise' ? 'teal' : 'blue'}>
                      {hit.kind === 'premise' ? t({ uk: 'приміщення', en: 'premise' }) : t({ uk: 'будинок', en: 'building' })}
                    </Badge>
                  </Group>
                </Group>
              </UnstyledButton>
            );
          })}
        </Paper>
      )}
    </Stack>
  );
}

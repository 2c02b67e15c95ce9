import { useState, type ReactNode } from 'react';
import { Alert, Paper, Text } from '@mantine/core';
import { errorMessages } from '../api';
import { useT, type Bilingual } from '../i18n';

export interface FormMessage {
  color: 'red' | 'green';
  text: string;
}

/**
 * The state of a small form's submission. `submit` clears the last message and marks the form
 * busy while `action` runs; an error the action throws (the API's) becomes a red message in the
 * reader's language, naming faulty fields by the form's `labels` (never by their internal names).
 * The action reports its own outcome with `fail` or `succeed`.
 */
export function useSubmission(labels?: Record<string, Bilingual>) {
  const t = useT();
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async (action: () => Promise<void>) => {
    setMessage(null);
    setSaving(true);
    try {
      await action();
    } catch (e) {
      setMessage({ color: 'red', text: t(errorMessages(e, labels)) });
    } finally {
      setSaving(false);
    }
  };
  return {
    message,
    saving,
    submit,
    fail: (text: string) => setMessage({ color: 'red', text }),
    succeed: (text: string) => setMessage({ color: 'green', text }),
  };
}

/** A titled form in a bordered card (Enter submits), with the outcome of its last submission below. */
export function FormCard({ title, onSubmit, message, mb, children }: { title: string; onSubmit: () => void; message: FormMessage | null; mb?: string; children: ReactNode }) {
  return (
    <Paper
      component="form"
      withBorder
      p="md"
      mb={mb}
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Text fw={600} mb="xs">
        {title}
      </Text>
      {children}
      {message && (
        <Alert mt="sm" color={message.color} variant="light" role={message.color === 'red' ? 'alert' : 'status'}>
          {message.text}
        </Alert>
      )}
    </Paper>
  );
}

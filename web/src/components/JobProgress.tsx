import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { api, errorMessages } from '../api';
import { useFormat, useT, type MessageKey } from '../i18n';

/** A long-running job as GET /api/jobs/:id reports it. */
export interface Job {
  jobId: number;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progressDone: number;
  progressTotal: number | null;
  message: string | null;
  result: unknown;
  error: { code?: string; message_uk?: string; message_en?: string } | null;
}

const FINISHED = new Set<Job['status']>(['succeeded', 'failed']);
const STATUS_COLOR: Record<Job['status'], string> = { queued: 'gray', running: 'blue', succeeded: 'green', failed: 'red' };

/** Jobs write their messages as «українською / in English»; a message in one language shows as it is. */
function bilingualMessage(message: string): { uk: string; en: string } {
  const parts = message.split(' / ');
  return parts.length === 2 ? { uk: parts[0]!, en: parts[1]! } : { uk: message, en: message };
}

/**
 * Follows a job until it finishes: a progress bar, its status and its latest message.
 * `onFinished` is called once with the final job (e.g. to reload the page's data).
 */
export function JobProgress({ jobId, onFinished, intervalMs = 1000 }: { jobId: number; onFinished?: (job: Job) => void; intervalMs?: number }) {
  const t = useT();
  const format = useFormat();
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await api.get<Job>(`/jobs/${jobId}`);
        if (stopped) return;
        setJob(next);
        setError(null);
        if (FINISHED.has(next.status)) {
          finishedRef.current?.(next);
          return;
        }
      } catch (err) {
        if (stopped) return;
        setError(err);
      }
      timer = setTimeout(poll, intervalMs);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId, intervalMs]);

  if (!job) {
    return error ? <Alert color="red">{t(errorMessages(error))}</Alert> : <Progress value={100} animated striped aria-label={t('job.queued')} />;
  }

  const total = job.progressTotal;
  const percent = total ? Math.min(100, (job.progressDone / total) * 100) : job.status === 'succeeded' ? 100 : 0;
  const indeterminate = !total && !FINISHED.has(job.status);
  const failure = job.error ? { uk: job.error.message_uk ?? job.error.message_en ?? '', en: job.error.message_en ?? job.error.message_uk ?? '' } : null;

  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Group justify="space-between">
          <Badge color={STATUS_COLOR[job.status]} size="lg" variant="light">
            {t(`job.${job.status}` as MessageKey)}
          </Badge>
          {total ? <Text c="dimmed">{t('job.progress', { done: format.number(job.progressDone), total: format.number(total) })}</Text> : null}
        </Group>
        <Progress
          size="xl"
          value={indeterminate ? 100 : percent}
          animated={job.status === 'running' || job.status === 'queued'}
          striped={indeterminate}
          color={STATUS_COLOR[job.status]}
          aria-label={t(`job.${job.status}` as MessageKey)}
        />
        {job.message && <Text>{t(bilingualMessage(job.message))}</Text>}
        {failure && (
          <Alert color="red" variant="light">
            {t(failure)}
          </Alert>
        )}
        {error !== null && <Text c="red">{t(errorMessages(error))}</Text>}
      </Stack>
    </Paper>
  );
}

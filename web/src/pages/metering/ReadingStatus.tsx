import { Badge } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconEye } from '@tabler/icons-react';
import { useT } from '../../i18n';
import { STATUS_COLOR, STATUS_LABEL, type MeterReading } from './types';

const STATUS_ICON = { accepted: IconCircleCheck, needs_review: IconEye, rejected: IconCircleX } as const;

/**
 * A reading's state in its own word, colour and icon: accepted (green, a tick), sent to review
 * (orange, an eye), refused (red, a cross). `stored` = the reading was saved, not only checked.
 */
export function ReadingStatus({ status, stored, size = 'sm', title }: { status: MeterReading['status']; stored: boolean; size?: 'xs' | 'sm' | 'md'; title?: string }) {
  const t = useT();
  const Icon = STATUS_ICON[status];
  return (
    <Badge size={size} color={STATUS_COLOR[status]} variant={stored ? 'filled' : 'light'} leftSection={<Icon size={12} aria-hidden />} title={title} data-status={status}>
      {t(STATUS_LABEL[status])}
    </Badge>
  );
}

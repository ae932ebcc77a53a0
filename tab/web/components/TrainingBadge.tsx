import { Badge } from '@fluentui/react-components';
import { TRAINING_STATUS_TITLES, type TrainingStatus } from '../../../core/training';

const STATUS_COLOR: Record<TrainingStatus, 'success' | 'warning' | 'danger' | 'severe' | 'subtle'> = {
  current: 'success',
  dueSoon: 'warning',
  overdue: 'danger',
  never: 'severe',
  notRequired: 'subtle',
};

/** One person's status for one course, in words (the colour only repeats it). */
export function TrainingBadge({ status, title }: { status: TrainingStatus; title?: string }) {
  return (
    <Badge appearance="tint" color={STATUS_COLOR[status]} title={title} data-status={status}>
      {TRAINING_STATUS_TITLES[status]}
    </Badge>
  );
}

import { Badge } from '@fluentui/react-components';
import { STATUS_TITLES, type RegisterCell, type SignatureStatus } from '../../../core/aup';

const STATUS_COLOR: Record<SignatureStatus, 'success' | 'warning' | 'danger'> = { current: 'success', older: 'warning', never: 'danger' };
const STATUS_SHORT: Record<SignatureStatus, string> = { current: 'Signed', older: 'Older version', never: 'Not signed' };

export function formatDate(iso?: string): string {
  return iso ? new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }) : '';
}

/** One person's state for one AUP: signed the current version, an older one, or never. */
export function SignatureBadge({ cell }: { cell: RegisterCell }) {
  const detail = cell.signedVersion ? ` v${cell.signedVersion}, ${formatDate(cell.signedAt)}${cell.channel === 'paper' ? ' (paper)' : ''}` : '';
  return (
    <Badge appearance="tint" color={STATUS_COLOR[cell.status]} title={`${STATUS_TITLES[cell.status]}${detail}`} data-status={cell.status}>
      {STATUS_SHORT[cell.status]}
      {cell.signedVersion ? ` v${cell.signedVersion}` : ''}
    </Badge>
  );
}

/**
 * What needs attention on a case, at a glance (PRODUCT.md §3, §6): urgent, not acknowledged in time,
 * a next step past its day (with whose it is and the day), and a concern about a member of staff
 * (the Headteacher's, or the Chair's: who it is about). And where a case stands.
 */
import { Badge, makeStyles } from '@fluentui/react-components';
import { formatDay, STATUS_COLOURS, STATUS_TITLES } from './format';

const useStyles = makeStyles({
  flags: { display: 'flex', flexWrap: 'wrap', gap: '4px' },
  // Fluent's badge is one line high: a longer flag ("Next step overdue: ...") grows with its text instead.
  wraps: { height: 'auto', minHeight: '20px', whiteSpace: 'normal', textAlign: 'start', paddingTop: '1px', paddingBottom: '1px' },
});

export interface Flagged {
  urgent: boolean;
  overdueAcknowledgement?: boolean;
  nextStep?: { dueOn: string; ownerName: string; overdue: boolean };
  aboutStaff: boolean;
  staffInvolvedName?: string;
}

export function CaseFlags({ c }: { c: Flagged }) {
  const styles = useStyles();
  return (
    <span className={styles.flags}>
      {c.urgent && <Badge className={styles.wraps} color="danger" data-flag="urgent">Urgent</Badge>}
      {c.overdueAcknowledgement && <Badge className={styles.wraps} color="danger" data-flag="overdueAcknowledgement">Not acknowledged in time</Badge>}
      {c.nextStep?.overdue && (
        <Badge className={styles.wraps} color="warning" data-flag="overdueNextStep">{`Next step overdue: ${c.nextStep.ownerName}, due ${formatDay(c.nextStep.dueOn)}`}</Badge>
      )}
      {c.aboutStaff && (
        <Badge className={styles.wraps} color="important" appearance="tint" data-flag="aboutStaff">{c.staffInvolvedName ? `About staff: ${c.staffInvolvedName}` : 'About a member of staff'}</Badge>
      )}
    </span>
  );
}

const isStatus = (s: string): s is keyof typeof STATUS_TITLES => s in STATUS_TITLES;

/** Open (not acknowledged), acknowledged or closed. */
export function StatusBadge({ status }: { status: string }) {
  const styles = useStyles();
  return isStatus(status) ? <Badge className={styles.wraps} appearance="tint" color={STATUS_COLOURS[status]} data-status={status}>{STATUS_TITLES[status]}</Badge> : <>{status}</>;
}

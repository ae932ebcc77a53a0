/**
 * Self-reports waiting for the office (PRODUCT.md §5: "self-report confirmed by the office"): each is
 * confirmed, and then counts, or rejected with a reason, and never counts. DSLs see the list only. Kept
 * mounted while the list is empty, so that its dialog is never unmounted open.
 */
import { useState } from 'react';
import { Button, Link, MessageBar, MessageBarBody, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { TrainingRecordView } from '../../api/view';
import { problemText, type TabApi } from '../api';
import { formatDay, formatMoment } from './matrixRows';
import { ReasonDialog, type ReasonRequest } from './ReasonDialog';
import { Evidence } from './RecordsTable';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: '6px', padding: '8px 12px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  actions: { display: 'flex', gap: '4px' },
});

export function PendingPanel(props: {
  api: TabApi;
  records: TrainingRecordView[];
  keeper: boolean;
  courseTitles: ReadonlyMap<string, string>;
  onOpenPerson: (personId: string) => void;
  onChanged: (message: string) => void;
}) {
  const styles = useStyles();
  const [asking, setAsking] = useState<ReasonRequest | undefined>();
  const [error, setError] = useState('');
  const title = (r: TrainingRecordView) => props.courseTitles.get(r.courseId) ?? r.courseId;

  const confirm = async (r: TrainingRecordView) => {
    try {
      await props.api.changeTrainingRecordState(r.key, 'confirm');
      setError('');
      props.onChanged(`Confirmed: ${r.personName}, ${title(r)}, ${formatDay(r.completedOn)}.`);
    } catch (e) {
      setError(problemText(e));
    }
  };
  const reject = (r: TrainingRecordView) =>
    setAsking({
      title: 'Reject the self-report',
      about: `${r.personName} reported ${title(r)} on ${formatDay(r.completedOn)}. Rejected, it never counts; they see the reason in My records.`,
      action: 'Reject',
      run: async (reason) => {
        await props.api.changeTrainingRecordState(r.key, 'reject', reason);
        props.onChanged(`Rejected: ${r.personName}, ${title(r)}, ${formatDay(r.completedOn)}.`);
      },
    });

  return (
    <>
      {props.records.length > 0 && (
        <section className={styles.panel} aria-labelledby="pending-title">
          <Text as="h2" weight="semibold" id="pending-title">{`Pending confirmations (${props.records.length})`}</Text>
          {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
          <Table aria-label="Self-reports awaiting confirmation" size="small" className={styles.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Course</TableHeaderCell>
                <TableHeaderCell>Completed</TableHeaderCell>
                <TableHeaderCell>Provider</TableHeaderCell>
                <TableHeaderCell>Hours</TableHeaderCell>
                <TableHeaderCell>Evidence</TableHeaderCell>
                <TableHeaderCell>Reported</TableHeaderCell>
                {props.keeper && <TableHeaderCell>Actions</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {props.records.map((r) => (
                <TableRow key={r.key} data-record={r.key} data-person={r.personId}>
                  <TableCell><Link onClick={() => props.onOpenPerson(r.personId)}>{r.personName}</Link></TableCell>
                  <TableCell>{title(r)}</TableCell>
                  <TableCell>{formatDay(r.completedOn)}</TableCell>
                  <TableCell>{r.provider ?? ''}</TableCell>
                  <TableCell>{r.hours ?? ''}</TableCell>
                  <TableCell><Evidence value={r.evidence} /></TableCell>
                  <TableCell>{formatMoment(r.recordedAt)}</TableCell>
                  {props.keeper && (
                    <TableCell>
                      <span className={styles.actions}>
                        <Button size="small" appearance="primary" onClick={() => void confirm(r)}>Confirm</Button>
                        <Button size="small" onClick={() => reject(r)}>Reject</Button>
                      </span>
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>
      )}
      <ReasonDialog request={asking} onClose={() => setAsking(undefined)} />
    </>
  );
}

/**
 * One person's page within the Training page (PRODUCT.md §5 "a person's own page with their history"):
 * their details, every course with its status and whether it is required, and every record they have
 * with its history. Those who keep the records edit the start date and staff code, add records, correct
 * and withdraw them, and confirm or reject a self-report; DSLs read. API: GET/PUT /training/people/:id.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ROLE_TITLES } from '../../../core/roles';
import type { TrainingPersonPageView, TrainingRecordView } from '../../api/view';
import { problemText, type TabApi } from '../api';
import { TrainingBadge } from '../components/TrainingBadge';
import { cellTitle, formatDay } from './matrixRows';
import { ReasonDialog, type ReasonRequest } from './ReasonDialog';
import { RecordDialog, type RecordRequest } from './RecordDialog';
import { RecordsTable } from './RecordsTable';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '12px' },
  row: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'end' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
});

export function PersonTraining(props: { api: TabApi; personId: string; onBack: () => void; onChanged: () => void }) {
  const styles = useStyles();
  const { api, personId, onChanged } = props;
  const [page, setPage] = useState<TrainingPersonPageView | undefined>();
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [startedOn, setStartedOn] = useState('');
  const [staffCode, setStaffCode] = useState('');
  const [recording, setRecording] = useState<RecordRequest | undefined>();
  const [asking, setAsking] = useState<ReasonRequest | undefined>();

  const load = useCallback(async () => {
    try {
      const p = await api.trainingPerson(personId);
      setPage(p);
      setStartedOn(p.person.startedOn ?? '');
      setStaffCode(p.person.staffCode ?? '');
      setError('');
    } catch (e) {
      setError(problemText(e));
    }
  }, [api, personId]);
  useEffect(() => void load(), [load]);

  const courseTitles = useMemo(() => new Map((page?.courses ?? []).map((c) => [c.course.id, c.course.title])), [page]);

  /** After any change: this page and the matrix behind it. */
  const changed = (message: string) => {
    setNotice(message);
    void load();
    onChanged();
  };

  if (error && !page) return <section className={styles.page}><Button onClick={props.onBack}>Back to the matrix</Button><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></section>;
  if (!page) return <section className={styles.page}><Spinner label="Loading their training…" /></section>;

  const keeper = page.access === 'keep';
  const { person } = page;
  const saveDetails = async () => {
    try {
      await api.setTrainingPerson(person.id, { startedOn: startedOn || null, staffCode: staffCode.trim() || null });
      changed('Details saved.');
    } catch (e) {
      setError(problemText(e));
    }
  };
  const askThenChange = (r: TrainingRecordView, action: 'withdraw' | 'reject', title: string, about: string, done: string) =>
    setAsking({ title, about, action: title, run: async (reason) => { await api.changeTrainingRecordState(r.key, action, reason); changed(done); } });
  const confirm = async (r: TrainingRecordView) => {
    try {
      await api.changeTrainingRecordState(r.key, 'confirm');
      changed('Self-report confirmed: it now counts.');
    } catch (e) {
      setError(problemText(e));
    }
  };
  const actions = (r: TrainingRecordView) => {
    const title = courseTitles.get(r.courseId) ?? r.courseId;
    const what = `${title}, ${formatDay(r.completedOn)}`;
    return (
      <>
        {r.state === 'pending' && <Button size="small" appearance="primary" onClick={() => void confirm(r)}>Confirm</Button>}
        {r.state === 'pending' && <Button size="small" onClick={() => askThenChange(r, 'reject', 'Reject', `${person.name} reported ${what}. Rejected, it never counts.`, 'Self-report rejected.')}>Reject</Button>}
        {(r.state === 'confirmed' || r.state === 'pending') && <Button size="small" onClick={() => setRecording({ kind: 'correct', record: r, courseTitle: title })}>Correct</Button>}
        {(r.state === 'confirmed' || r.state === 'pending') && <Button size="small" onClick={() => askThenChange(r, 'withdraw', 'Withdraw', `${what} for ${person.name} is withdrawn: it stops counting, and stays in the history.`, 'Record withdrawn.')}>Withdraw</Button>}
      </>
    );
  };

  return (
    <section className={styles.page} aria-label={`${person.name}'s training`}>
      <div className={styles.row}>
        <Button onClick={props.onBack}>Back to the matrix</Button>
        <Button appearance="subtle" onClick={() => void load()}>Refresh</Button>
      </div>
      <Title3 as="h1">{`Training: ${person.name}`}</Title3>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {notice && <MessageBar intent="success"><MessageBarBody>{notice}</MessageBarBody></MessageBar>}
      <Text>{[person.email, person.roles.map((r) => ROLE_TITLES[r]).join(', ')].filter(Boolean).join(' · ')}</Text>
      {keeper ? (
        <div className={styles.row}>
          <Field label="Start date" hint="Induction and first-time training count from it.">
            <Input type="date" value={startedOn} max={page.today} onChange={(_e, d) => setStartedOn(d.value)} />
          </Field>
          <Field label="Staff code" hint="As the MIS names them.">
            <Input value={staffCode} maxLength={40} onChange={(_e, d) => setStaffCode(d.value)} />
          </Field>
          <Button onClick={() => void saveDetails()} disabled={startedOn === (person.startedOn ?? '') && staffCode.trim() === (person.staffCode ?? '')}>Save details</Button>
        </div>
      ) : (
        <Text>{`Started: ${person.startedOn ? formatDay(person.startedOn) : 'not known'} · Staff code: ${person.staffCode ?? 'none'}`}</Text>
      )}

      <Text as="h2" weight="semibold">Courses</Text>
      <Table aria-label="Their courses" size="small" className={styles.table}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Course</TableHeaderCell>
            <TableHeaderCell>Required</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell>Last done</TableHeaderCell>
            <TableHeaderCell>Due</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {page.courses.map(({ course, status, required }) => (
            <TableRow key={course.id} data-course={course.id}>
              <TableCell title={`${course.policy}; ${course.renewal}; for ${course.audience}`}>{course.title}</TableCell>
              <TableCell>{required ? 'Required' : 'Not required'}</TableCell>
              <TableCell>
                <TrainingBadge status={status.status} title={cellTitle(status, courseTitles)} />
                {status.awaitingConfirmation && <Text size={200}>{` Awaiting confirmation (${formatDay(status.awaitingConfirmation)})`}</Text>}
              </TableCell>
              <TableCell>{formatDay(status.lastCompletedOn)}</TableCell>
              <TableCell>{status.status === 'never' ? 'now' : formatDay(status.dueOn)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <div className={styles.row}>
        <Text as="h2" weight="semibold">Records and their history</Text>
        {keeper && <Button onClick={() => setRecording({ kind: 'add', person, courses: page.courses.map((c) => c.course) })}>Add a record</Button>}
      </div>
      <RecordsTable label="Their training records" records={page.records} courseTitles={courseTitles} actions={keeper ? actions : undefined} />

      {keeper && <RecordDialog api={api} today={page.today} request={recording} onClose={(saved) => { setRecording(undefined); if (saved) changed(saved); }} />}
      {keeper && <ReasonDialog request={asking} onClose={() => setAsking(undefined)} />}
    </section>
  );
}

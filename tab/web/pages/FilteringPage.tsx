/**
 * The Filtering & monitoring page (PRODUCT.md §7; policy §7.3; the DfE Filtering and Monitoring
 * Standards): who is responsible and what is in use (from the school's setup), the annual review's
 * state, the filtering-breach and monitoring-alert concerns counted beside the log (counts only), the
 * log itself with its corrections, CSV export, and, for technical staff and the Online Safety Lead,
 * recording entries and uploading a monitoring system's alert export. API: tab/api/routes/filtering.ts.
 */
import { useCallback, useEffect, useState } from 'react';
import { Button, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { EntryKind } from '../../../core/filteringLog';
import type { FilteringLogView } from '../../api/view';
import { problemText } from '../api';
import { saveFile } from '../components/download';
import { AlertUploadPanel } from '../filtering/AlertUploadPanel';
import { EntryDialog, type EntryRequest } from '../filtering/EntryDialog';
import { LogTable } from '../filtering/LogTable';
import type { PageProps } from '../Shell';
import { formatDay } from '../training/matrixRows';

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '12px' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '16px', rowGap: '4px', margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '8px' },
  counts: { maxWidth: '760px' },
  concern: { width: '340px' },
});

function reviewText(view: FilteringLogView): { text: string; intent: 'success' | 'warning' | 'error' } {
  const r = view.review;
  if (r.state === 'never') return { text: 'No annual review is recorded yet. The DfE standards ask for a review of filtering and monitoring at least once a year.', intent: 'warning' };
  if (r.state === 'overdue') return { text: `The annual review is overdue: the last was on ${formatDay(r.lastOn)}, the next was due by ${formatDay(r.dueBy)}.`, intent: 'error' };
  return { text: `Last annual review ${formatDay(r.lastOn)}; the next is due by ${formatDay(r.dueBy)}.`, intent: 'success' };
}

export function FilteringPage({ api, me }: PageProps) {
  const styles = useStyles();
  const [view, setView] = useState<FilteringLogView | undefined>();
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [request, setRequest] = useState<EntryRequest | undefined>();
  const [uploading, setUploading] = useState(false);

  const load = useCallback(async () => {
    try {
      setView(await api.filteringLog());
      setError('');
    } catch (e) {
      setError(problemText(e));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const exportCsv = async () => {
    try {
      saveFile(await api.exportFilteringLog(), `filtering-and-monitoring-log-${view?.today ?? ''}.csv`);
    } catch (e) {
      setError(problemText(e));
    }
  };
  const add = (entryKind: EntryKind) => setRequest({ kind: 'add', entryKind });

  if (error && !view) return <main className={styles.page}><MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar></main>;
  if (!view) return <main className={styles.page}><Spinner label="Loading the filtering and monitoring log…" /></main>;
  const review = reviewText(view);
  const person = (p?: { name: string; role: string }) => (p ? `${p.name} (${p.role})` : 'Not named in the school\'s setup');
  return (
    <main className={styles.page}>
      <Title3 as="h1">Filtering and monitoring</Title3>
      <dl className={styles.facts} aria-label="Responsibilities and systems">
        <dt className={styles.term}>Senior leader responsible</dt>
        <dd id="filtering-senior-leader">{person(view.seniorLeader)}</dd>
        <dt className={styles.term}>Governor responsible</dt>
        <dd id="filtering-governor">{person(view.governor)}</dd>
        <dt className={styles.term}>Filtering</dt>
        <dd>{view.filteringSystem ?? 'Not named in the school\'s setup'}</dd>
        <dt className={styles.term}>Monitoring</dt>
        <dd id="filtering-monitoring">{`${view.monitoringSystem?.title ?? 'Not named in the school\'s setup'}: alerts at risk ${view.riskThreshold} of 5 or above become concerns`}</dd>
      </dl>
      <MessageBar intent={review.intent}><MessageBarBody id="filtering-review">{review.text}</MessageBarBody></MessageBar>

      <Table aria-label="Concerns counted beside the log" size="small" className={styles.counts}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.concern}>Concerns</TableHeaderCell>
            <TableHeaderCell>{view.academicYears.this}</TableHeaderCell>
            <TableHeaderCell>{view.academicYears.last}</TableHeaderCell>
            <TableHeaderCell>Open now</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {view.counts.map((c) => (
            <TableRow key={c.category} data-category={c.category}>
              <TableCell>{c.title}</TableCell>
              <TableCell>{c.thisYear}</TableCell>
              <TableCell>{c.lastYear}</TableCell>
              <TableCell>{c.open}</TableCell>
            </TableRow>
          ))}
          <TableRow data-category="belowThreshold">
            <TableCell>{`Monitoring alerts below risk ${view.riskThreshold} (logged, not concerns)`}</TableCell>
            <TableCell>{view.belowThreshold.thisYear}</TableCell>
            <TableCell>{view.belowThreshold.lastYear}</TableCell>
            <TableCell />
          </TableRow>
        </TableBody>
      </Table>

      <div className={styles.toolbar}>
        {view.canKeep && (
          <>
            <Button appearance="primary" onClick={() => add('change')}>Record a filtering change</Button>
            <Button onClick={() => add('check')}>Record a check</Button>
            <Button onClick={() => add('review')}>Record the annual review</Button>
            <Button onClick={() => setUploading((u) => !u)}>{uploading ? 'Close the upload' : 'Upload monitoring alerts'}</Button>
          </>
        )}
        <Button onClick={() => void exportCsv()}>Export CSV</Button>
      </div>
      {notice && <MessageBar intent="success"><MessageBarBody id="filtering-notice">{notice}</MessageBarBody></MessageBar>}
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {view.canKeep && uploading && <AlertUploadPanel api={api} systems={view.systems} defaultSystem={view.monitoringSystem?.id} threshold={view.riskThreshold} onTaken={() => void load()} />}
      {!view.canKeep && <Text size={200}>Technical staff and the Online Safety Lead keep this log; entries are never changed, and a correction is a new entry.</Text>}

      <LogTable lines={view.lines} canKeep={view.canKeep} onCorrect={(entry) => setRequest({ kind: 'correct', entry })} />
      <EntryDialog
        api={api}
        today={view.today}
        named={{ seniorLeader: view.seniorLeader?.name, governor: view.governor?.name, me: me.name }}
        request={request}
        onClose={(saved) => {
          setRequest(undefined);
          if (saved) {
            setNotice(saved);
            void load();
          }
        }}
      />
    </main>
  );
}

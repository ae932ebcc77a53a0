/**
 * Monitoring alerts from a CSV export, for systems that only export (PRODUCT.md §7): the technician says
 * which system the file came from (its risk column is read on that system's scale), reads the report on
 * every row (what would become a case, what was received already, what is below the threshold, what is
 * wrong), then takes them in, with progress. The same alert already received by the endpoint or an
 * earlier upload makes no second case. The report shows no names. The layout: docs/monitoring.md.
 */
import { useState } from 'react';
import { Button, Field, MessageBar, MessageBarBody, ProgressBar, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { AlertRowView, AlertUploadProgress } from '../../api/view';
import type { TabApi } from '../api';
import { useCsvImport } from '../components/csvImport';
import { formatMoment } from '../training/matrixRows';

const useStyles = makeStyles({
  system: { maxWidth: '320px' },
  panel: { display: 'flex', flexDirection: 'column', gap: '8px', maxWidth: '1000px', padding: '8px 12px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
});

const OUTCOME_TITLES: Record<AlertRowView['outcome'], string> = {
  newCase: 'Becomes a case',
  alreadyReceived: 'Received already: no second case',
  belowThreshold: 'Below the threshold: logged, not a case',
  repeated: 'Repeated in the file: counted once',
  problem: 'Not taken in',
};

const LEARNER_TITLES: Record<NonNullable<AlertRowView['learner']>, string> = {
  onRoster: 'on the roster',
  nameOnly: 'name only: the DSL confirms',
  notFound: 'not on the roster: every phase\'s DSL',
  none: 'no learner named: every phase\'s DSL',
};

/** Rows listed; the counts say how many there are. */
const LISTED = 500;

export function AlertUploadPanel(props: { api: TabApi; systems: { id: string; title: string }[]; defaultSystem?: string; threshold: number; onTaken: () => void }) {
  const styles = useStyles();
  const [system, setSystem] = useState(props.defaultSystem ?? props.systems[0]?.id ?? '');
  const { check, progress, result, error, running, choose, start } = useCsvImport({
    check: (csv: string) => props.api.checkAlertUpload(csv, system),
    run: (csv: string, onLine: (p: AlertUploadProgress) => void) => props.api.runAlertUpload(csv, system, onLine),
    meaning: (p: AlertUploadProgress) => {
      if (p.stage === 'checked') return { progress: { done: 0, of: p.toTake } };
      if (p.stage === 'taking') return { progress: { done: p.done, of: p.of } };
      if (p.stage === 'done') return { result: `${p.created} ${p.created === 1 ? 'case' : 'cases'} made, ${p.alreadyReceived} received already (no second case), ${p.belowThreshold} below the threshold (logged), ${p.refused} ${p.refused === 1 ? 'row' : 'rows'} with problems not taken in.` };
      return { error: p.error };
    },
    onImported: props.onTaken,
  });
  const toTake = check ? check.counts.newCase + check.counts.belowThreshold : 0;

  return (
    <section className={styles.panel} aria-label="Upload monitoring alerts">
      <Text weight="semibold">Upload monitoring alerts (CSV export)</Text>
      <Text size={200}>
        For a monitoring system that can only export. The first row names the columns: <b>alert id</b>, <b>date and time</b> and <b>risk</b> (or severity) are needed,
        with a learner (username, name, email or MIS id) or a device. {`Alerts at risk ${props.threshold} of 5 or above become concerns; the rest are logged.`} Picture
        columns are never read, and an alert received before makes no second case.
      </Text>
      <Field label="Monitoring system" className={styles.system}>
        <Select value={system} disabled={running} onChange={(_e, d) => setSystem(d.value)}>
          {props.systems.map((s) => <option key={s.id} value={s.id}>{s.title}</option>)}
        </Select>
      </Field>
      <label htmlFor="alert-upload-file">CSV file</label>
      <input id="alert-upload-file" type="file" accept=".csv,text/csv" disabled={running} onChange={(e) => void choose(e.target.files?.[0])} />
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
      {check?.fileProblem && <MessageBar intent="error"><MessageBarBody>{check.fileProblem}</MessageBarBody></MessageBar>}
      {check && !check.fileProblem && (
        <>
          <Text id="alert-upload-summary">
            {`${check.total} rows: ${check.counts.newCase} become cases, ${check.counts.alreadyReceived} received already, ${check.counts.belowThreshold} below the threshold, ${check.counts.repeated} repeated, ${check.counts.problem} with problems.`}
          </Text>
          {check.ignoredColumns.length > 0 && <Text size={200}>{`Columns not read: ${check.ignoredColumns.join(', ')}.`}</Text>}
          <Table aria-label="Alerts in the file" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Row</TableHeaderCell>
                <TableHeaderCell>Alert</TableHeaderCell>
                <TableHeaderCell>When</TableHeaderCell>
                <TableHeaderCell>Risk</TableHeaderCell>
                <TableHeaderCell>What happens</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {check.rows.slice(0, LISTED).map((r) => (
                <TableRow key={r.row} data-row={r.row} data-outcome={r.outcome}>
                  <TableCell>{r.row}</TableCell>
                  <TableCell>{r.alertId}</TableCell>
                  <TableCell>{r.occurredAt ? formatMoment(r.occurredAt) : ''}</TableCell>
                  <TableCell>{r.risk ?? ''}</TableCell>
                  <TableCell>{[OUTCOME_TITLES[r.outcome], r.learner ? `learner ${LEARNER_TITLES[r.learner]}` : '', ...r.problems].filter(Boolean).join('; ')}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {check.rows.length > LISTED && <Text>{`The first ${LISTED} of ${check.rows.length} rows are listed.`}</Text>}
          <Button appearance="primary" disabled={running || toTake === 0} onClick={() => void start(toTake)}>
            {`Take in ${check.counts.newCase} ${check.counts.newCase === 1 ? 'alert' : 'alerts'} as cases${check.counts.belowThreshold ? ` and log ${check.counts.belowThreshold} below the threshold` : ''}`}
          </Button>
        </>
      )}
      {progress && !result && (
        <div aria-live="polite">
          <Text id="alert-upload-progress">{`Taking in: ${progress.done} of ${progress.of}…`}</Text>
          <ProgressBar value={progress.of ? progress.done / progress.of : 0} />
        </div>
      )}
      {result && <MessageBar intent="success"><MessageBarBody id="alert-upload-result">{result}</MessageBarBody></MessageBar>}
    </section>
  );
}

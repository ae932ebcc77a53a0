/**
 * The log's lines, newest first: each shows its latest version, says when it was corrected, by whom and
 * why, and lists what it said before. Keepers may correct the latest version of a line.
 */
import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles } from '@fluentui/react-components';
import { CHANGE_ACTION_TITLES, CHECK_RESULT_TITLES, ENTRY_KIND_TITLES, type EntryDetails } from '../../../core/filteringLog';
import type { FilteringEntryView, FilteringLineView } from '../../api/view';
import { formatDay, formatMoment } from '../training/matrixRows';

const useStyles = makeStyles({
  cell: { whiteSpace: 'pre-wrap', verticalAlign: 'top' },
  history: { margin: '4px 0 0', paddingLeft: '18px' },
  day: { width: '120px' },
  kind: { width: '140px' },
  recorded: { width: '200px' },
  correct: { width: '100px' },
});

/** What an entry says, in one paragraph per part. */
export function entrySummary(d: EntryDetails): string[] {
  switch (d.kind) {
    case 'change':
      return [`${CHANGE_ACTION_TITLES[d.action]}: ${d.what}`, `Why: ${d.why}`, `Risk assessment: ${d.riskAssessment}`, `Requested by ${d.requestedBy}; approved by ${d.approvedBy}`];
    case 'check':
      return [`${CHECK_RESULT_TITLES[d.result]}: ${d.whatWasTested}`, `Checked by ${d.checkedBy}`, ...(d.followUp ? [`Follow-up: ${d.followUp}`] : [])];
    case 'review':
      return [`Senior leader: ${d.seniorLeader}; governor: ${d.governor}`, `Findings: ${d.findings}`, ...(d.actions ? [`Actions: ${d.actions}`] : [])];
  }
}

function Version(props: { entry: FilteringEntryView }) {
  return (
    <>
      {entrySummary(props.entry.details).map((p, i) => <div key={i}>{p}</div>)}
    </>
  );
}

export function LogTable(props: { lines: FilteringLineView[]; canKeep: boolean; onCorrect: (entry: FilteringEntryView) => void }) {
  const styles = useStyles();
  if (props.lines.length === 0) return <Text>Nothing is recorded yet.</Text>;
  return (
    <Table aria-label="Filtering and monitoring log" size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell className={styles.day}>Date</TableHeaderCell>
          <TableHeaderCell className={styles.kind}>Kind</TableHeaderCell>
          <TableHeaderCell>What</TableHeaderCell>
          <TableHeaderCell className={styles.recorded}>Recorded</TableHeaderCell>
          {props.canKeep && <TableHeaderCell className={styles.correct}>Correct</TableHeaderCell>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.lines.map((line) => {
          const { current, history } = line;
          return (
            <TableRow key={line.id} data-entry={line.id} data-kind={current.details.kind}>
              <TableCell className={styles.cell}>{formatDay(current.details.on)}</TableCell>
              <TableCell className={styles.cell}>{ENTRY_KIND_TITLES[current.details.kind]}</TableCell>
              <TableCell className={styles.cell}>
                <Version entry={current} />
                {current.corrects && <div className="correction">{`Corrected ${formatMoment(current.recordedAt)} by ${current.recordedByName}: ${current.correctionReason ?? ''}`}</div>}
                {history.length > 0 && (
                  <details>
                    <summary>{`What it said before (${history.length})`}</summary>
                    <ol className={styles.history}>
                      {history.map((h) => (
                        <li key={h.id}>
                          {`Recorded ${formatMoment(h.recordedAt)} by ${h.recordedByName}: `}
                          {entrySummary(h.details).join(' · ')}
                        </li>
                      ))}
                    </ol>
                  </details>
                )}
              </TableCell>
              <TableCell className={styles.cell}>{`${formatMoment(history[0]?.recordedAt ?? current.recordedAt)}, ${history[0]?.recordedByName ?? current.recordedByName}`}</TableCell>
              {props.canKeep && (
                <TableCell className={styles.cell}>
                  <Button size="small" onClick={() => props.onCorrect(current)} aria-label={`Correct the ${ENTRY_KIND_TITLES[current.details.kind].toLowerCase()} of ${formatDay(current.details.on)}`}>Correct</Button>
                </TableCell>
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

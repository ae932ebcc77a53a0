/** A chronology as a table: a case's own, or a child's across cases (then each line names its case). */
import { Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import type { CaseChronologyLine } from '../../api/view';
import { formatTime } from './format';

const useStyles = makeStyles({
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  note: { whiteSpace: 'pre-wrap' },
});

export function ChronologyTable(props: { label: string; entries: (CaseChronologyLine & { reference?: string })[]; openCase?: (reference: string) => void }) {
  const styles = useStyles();
  const { openCase } = props;
  return (
    <Table aria-label={props.label} size="small" className={styles.table}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>When</TableHeaderCell>
          {openCase && <TableHeaderCell>Case</TableHeaderCell>}
          <TableHeaderCell>Who</TableHeaderCell>
          <TableHeaderCell>What</TableHeaderCell>
          <TableHeaderCell>Note</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.entries.map((e, i) => (
          <TableRow key={`${e.at}-${i}`} data-kind={e.kind}>
            <TableCell>{formatTime(e.at)}</TableCell>
            {openCase && <TableCell>{e.reference ? <Link onClick={() => openCase(e.reference!)}>{e.reference}</Link> : ''}</TableCell>}
            <TableCell>{e.byName ?? ''}</TableCell>
            <TableCell>{e.summary}</TableCell>
            <TableCell className={styles.note}>{e.note ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

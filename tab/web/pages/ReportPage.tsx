/**
 * The governors' report (PRODUCT.md §7; policy §3 "the named governor for safeguarding will report on a
 * regular basis to the governing body on online safety practice and incidents, including outcomes"):
 * for a term of the school's setup, the anonymised counts beside the term before, the filtering and
 * monitoring summary, training compliance and AUP sign-off. Counts of 1 or 2 arrive from the server as
 * "fewer than 3" (core/report.ts): this page only lays them out. It prints on its own (print CSS), and
 * downloads as a PDF and as CSV. API: tab/api/routes/report.ts.
 */
import { useCallback, useEffect, useState } from 'react';
import { Button, Field, MessageBar, MessageBarBody, Select, Spinner, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { ReportTable } from '../../../core/report';
import { dayTitle } from '../../../core/time';
import type { GovernorsReportView } from '../../api/view';
import { problemText } from '../api';
import { saveFile } from '../components/download';
import type { PageProps } from '../Shell';
import { useTableStyles } from '../components/dataTable';

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '16px', maxWidth: '960px' },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'end' },
  section: { display: 'flex', flexDirection: 'column', gap: '6px', padding: '12px', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium, border: `1px solid ${tokens.colorNeutralStroke2}`, breakInside: 'avoid' },
  note: { color: tokens.colorNeutralForeground2 },
});

/**
 * Printing shows the report alone, black on white whatever the Teams theme: the navigation, the local
 * mode bar and the buttons are left out.
 */
const PRINT_CSS = `@media print {
  @page { margin: 15mm; }
  body * { visibility: hidden; }
  #governors-report, #governors-report * { visibility: visible; color: #000 !important; background: #fff !important; border-color: #999 !important; }
  #governors-report { position: absolute; left: 0; top: 0; width: 100%; padding: 0; }
  #governors-report [data-noprint] { display: none !important; }
}`;

export function ReportPage({ api }: PageProps) {
  const styles = useStyles();
  const [view, setView] = useState<GovernorsReportView | undefined>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState('');

  const load = useCallback(
    async (term?: string) => {
      setBusy('Preparing the report…');
      try {
        setView(await api.governorsReport(term));
        setError('');
      } catch (e) {
        setError(problemText(e));
      } finally {
        setBusy('');
      }
    },
    [api],
  );
  useEffect(() => void load(), [load]);

  const download = async (kind: 'pdf' | 'csv') => {
    const term = view?.report?.termId;
    if (!term) return;
    setBusy(kind === 'pdf' ? 'Preparing the PDF…' : 'Preparing the CSV…');
    try {
      saveFile(await api.governorsReportFile(kind, term), `governors-report-${term}.${kind}`);
      setError('');
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy('');
    }
  };

  if (!view) return <main className={styles.page}>{error ? <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar> : <Spinner label="Preparing the report…" />}</main>;
  const r = view.report;
  return (
    <main className={styles.page} id="governors-report" aria-busy={!!busy}>
      <style>{PRINT_CSS}</style>
      <Title3 as="h1">{r ? `Online safety report for governors: ${r.term.name}` : 'Online safety report for governors'}</Title3>
      {!r && <MessageBar intent="warning"><MessageBarBody>The school's setup names no terms yet: add them (terms, with their first and last days, in the setup file) to prepare a termly report.</MessageBarBody></MessageBar>}
      {r && (
        <>
          <div className={styles.toolbar} data-noprint>
            <Field label="Term">
              <Select value={r.termId} onChange={(_e, d) => void load(d.value)}>
                {view.terms.map((t) => <option key={t.id} value={t.id}>{`${t.name} (${dayTitle(t.start)} to ${dayTitle(t.end)})`}</option>)}
              </Select>
            </Field>
            <Button onClick={() => window.print()}>Print</Button>
            <Button onClick={() => void download('pdf')}>Download PDF</Button>
            <Button onClick={() => void download('csv')}>Download CSV</Button>
            {busy && <Spinner size="tiny" label={busy} />}
          </div>
          {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}
          <div>
            <Text block>{r.schoolName}</Text>
            <Text block>{`${r.term.name}: ${dayTitle(r.term.start)} to ${dayTitle(r.term.end)}${r.previousTerm ? `, compared with ${r.previousTerm.name}` : ''}. Prepared on ${dayTitle(r.preparedOn)}.`}</Text>
            <Text block weight="semibold" id="report-rule">{`${r.rule} No names are given anywhere in this report.`}</Text>
          </div>
          {r.tables.map((t) => <ReportSection key={t.id} table={t} />)}
        </>
      )}
    </main>
  );
}

function ReportSection({ table }: { table: ReportTable }) {
  const styles = useStyles();
  const t = useTableStyles();
  return (
    <section className={styles.section} aria-labelledby={`report-${table.id}`} data-section={table.id}>
      <Text as="h2" id={`report-${table.id}`} weight="semibold" size={400}>{table.title}</Text>
      {table.note && <Text className={styles.note}>{table.note}</Text>}
      <table className={t.table} data-table={table.id}>
        <caption className={t.hiddenCaption}>{table.title}</caption>
        <thead>
          <tr>{table.columns.map((c, i) => <th key={i} scope="col" className={i === 0 ? t.head : t.numberHead}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {table.rows.length === 0 && (
            <tr><td className={t.cell} colSpan={table.columns.length}>None recorded.</td></tr>
          )}
          {table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((c, j) => (j === 0 ? <th key={j} scope="row" className={t.cell}>{c}</th> : <td key={j} className={t.number}>{c}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The Trends page (PRODUCT.md §7; policy §4.2 "monitor online safety incidents to identify gaps and
 * trends", §3, §4.1): for a period (this academic year by default, a past year, a term, or any days),
 * the concerns by category, phase, year group, month, outcome and where they are now, the time to
 * acknowledge and the escalations, each as a chart and as a table. Numbers only: no names. Concerns
 * about staff are counted as routing allows (core/trends.ts). API: tab/api/routes/trends.ts.
 */
import { useCallback, useEffect, useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, Select, Spinner, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { dayTitle } from '../../../core/time';
import { durationTitle, type AcknowledgementStats } from '../../../core/trends';
import type { TrendsView } from '../../api/view';
import { problemText } from '../api';
import type { PageProps } from '../Shell';
import { useTableStyles } from '../components/dataTable';
import { CountChart } from '../trends/CountChart';

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '16px' },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'end' },
  figures: { display: 'flex', flexWrap: 'wrap', gap: '12px' },
  figure: { display: 'flex', flexDirection: 'column', padding: '8px 16px', minWidth: '150px', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium, border: `1px solid ${tokens.colorNeutralStroke2}` },
  big: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero700 },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: '16px' },
  section: { display: 'flex', flexDirection: 'column', gap: '8px', padding: '12px', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium, border: `1px solid ${tokens.colorNeutralStroke2}` },
});

const CUSTOM = 'custom';

export function TrendsPage({ api }: PageProps) {
  const styles = useStyles();
  const [view, setView] = useState<TrendsView | undefined>();
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  const [choice, setChoice] = useState('this-year');
  const [custom, setCustom] = useState({ from: '', to: '' });

  const load = useCallback(
    async (period?: { from: string; to: string }) => {
      setLoading(true);
      try {
        setView(await api.trends(period));
        setError('');
      } catch (e) {
        setError(problemText(e));
      } finally {
        setLoading(false);
      }
    },
    [api],
  );
  useEffect(() => void load(), [load]);

  const choose = (id: string) => {
    setChoice(id);
    if (id === CUSTOM) return setCustom(view ? { from: view.period.from, to: view.period.to } : custom);
    const c = view?.choices.find((x) => x.id === id);
    if (c) void load({ from: c.from, to: c.to });
  };

  if (!view) return <main className={styles.page}>{error ? <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar> : <Spinner label="Counting the concerns…" />}</main>;
  const ack = view.acknowledgement;
  return (
    <main className={styles.page} aria-busy={loading}>
      <Title3 as="h1">Trends</Title3>
      <Text>Concerns raised from {dayTitle(view.period.from)} to {dayTitle(view.period.to)}. Numbers only: no names are shown here.</Text>
      <div className={styles.toolbar}>
        <Field label="Period">
          <Select value={choice} onChange={(_e, d) => choose(d.value)}>
            {view.choices.map((c) => <option key={c.id} value={c.id}>{c.title}</option>)}
            <option value={CUSTOM}>Other dates…</option>
          </Select>
        </Field>
        {choice === CUSTOM && (
          <>
            <Field label="From"><Input type="date" value={custom.from} onChange={(_e, d) => setCustom({ ...custom, from: d.value })} /></Field>
            <Field label="To"><Input type="date" value={custom.to} onChange={(_e, d) => setCustom({ ...custom, to: d.value })} /></Field>
            <Button appearance="primary" disabled={!custom.from || !custom.to} onClick={() => void load(custom)}>Show</Button>
          </>
        )}
        {loading && <Spinner size="tiny" label="Counting…" />}
      </div>
      {error && <MessageBar intent="error"><MessageBarBody>{error}</MessageBarBody></MessageBar>}

      <section className={styles.figures} aria-label="In figures" id="trends-figures">
        <Figure label="Concerns raised" value={String(view.total)} id="total" />
        <Figure label="Median time to acknowledge" value={durationTitle(ack.medianMinutes)} id="median" />
        <Figure label="90th percentile" value={durationTitle(ack.p90Minutes)} id="p90" />
        <Figure label="Escalated" value={String(view.escalations.escalated)} id="escalated" />
      </section>
      {view.aboutStaffTotalOnly > 0 && (
        <Text>{`${view.aboutStaffTotalOnly} of these are concerns about staff: they are in the total and the category "about staff" only, as their details go to the Headteacher (or the Chair of Governors).`}</Text>
      )}

      <div className={styles.grid}>
        <CountChart id="month" title="Concerns by month" itemHeader="Month" counts={view.byMonth} />
        <CountChart id="category" title="Concerns by category" itemHeader="Category" counts={view.byCategory} horizontal />
        <CountChart id="phase" title="Concerns by phase" itemHeader="Phase" counts={view.byPhase} />
        <CountChart id="yearGroup" title="Concerns by year group" itemHeader="Year group" counts={view.byYearGroup} note="A concern about learners in two year groups counts in each." />
        <CountChart id="status" title="Open and closed" itemHeader="Where it is now" counts={view.byStatus} />
        <CountChart id="outcome" title="Outcomes of the closed concerns" itemHeader="Decision" counts={view.byOutcome} horizontal />
        <CountChart id="escalation" title="Escalations, by the furthest step reached" itemHeader="Escalated as far as" counts={view.escalations.byLevel} />
        <AcknowledgementTable all={ack} urgent={ack.urgent} standard={ack.standard} />
      </div>
    </main>
  );
}

function Figure(props: { label: string; value: string; id: string }) {
  const styles = useStyles();
  return (
    <div className={styles.figure} data-figure={props.id}>
      <Text size={200}>{props.label}</Text>
      <span className={styles.big}>{props.value}</span>
    </div>
  );
}

function AcknowledgementTable(props: { all: AcknowledgementStats; urgent: AcknowledgementStats; standard: AcknowledgementStats }) {
  const styles = useStyles();
  const t = useTableStyles();
  const rows: [string, AcknowledgementStats][] = [['All concerns', props.all], ['Urgent', props.urgent], ['Not urgent', props.standard]];
  return (
    <section className={styles.section} aria-labelledby="ack-title">
      <Text id="ack-title" weight="semibold" size={400}>Time from report to acknowledgement</Text>
      <table className={t.table} data-table="acknowledgement">
        <caption className={t.caption}>Time to acknowledge, for the concerns acknowledged</caption>
        <thead>
          <tr>
            <th scope="col" className={t.head}>Concerns</th>
            <th scope="col" className={t.numberHead}>Acknowledged</th>
            <th scope="col" className={t.numberHead}>Not yet acknowledged</th>
            <th scope="col" className={t.numberHead}>Median</th>
            <th scope="col" className={t.numberHead}>90th percentile</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, s]) => (
            <tr key={label}>
              <th scope="row" className={t.cell}>{label}</th>
              <td className={t.number}>{s.acknowledged}</td>
              <td className={t.number}>{s.notAcknowledged}</td>
              <td className={t.number}>{durationTitle(s.medianMinutes)}</td>
              <td className={t.number}>{durationTitle(s.p90Minutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

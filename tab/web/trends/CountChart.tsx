/**
 * One breakdown of the Trends page: a chart drawn with @fluentui/react-charts (Fluent UI v9's own charts:
 * they take the Fluent tokens, so they follow Teams' light, dark and high-contrast themes like the rest
 * of the tab) and, under it, the same numbers as a table with a caption and headers, for screen readers
 * and for anyone who wants the figures. Both are drawn from the same list, so they cannot disagree.
 */
import { HorizontalBarChartWithAxis, VerticalBarChart } from '@fluentui/react-charts';
import { makeStyles, tokens } from '@fluentui/react-components';
import type { Count } from '../../../core/trends';
import { useTableStyles } from '../components/dataTable';

const useStyles = makeStyles({
  figure: { margin: 0, display: 'flex', flexDirection: 'column', gap: '8px', padding: '12px', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium, border: `1px solid ${tokens.colorNeutralStroke2}`, breakInside: 'avoid' },
  title: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  chart: { width: '100%' },
  note: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

/** Whole-number axis marks (a count of concerns has no halves): 0 to at least `max`, about five of them. */
export function countTicks(max: number): number[] {
  const raw = Math.max(1, max) / 5;
  const step = max <= 6 ? 1 : [1, 2, 5].map((m) => m * 10 ** Math.floor(Math.log10(raw))).concat(10 ** Math.ceil(Math.log10(raw))).find((s) => s >= raw)!;
  const top = Math.max(1, Math.ceil(max / step) * step);
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

export interface CountChartProps {
  id: string;
  title: string;
  /** The first column's header: "Category", "Month"... */
  itemHeader: string;
  counts: Count[];
  /** Long labels (categories, outcomes) read better as horizontal bars. */
  horizontal?: boolean;
  note?: string;
}

export function CountChart({ id, title, itemHeader, counts, horizontal, note }: CountChartProps) {
  const styles = useStyles();
  const t = useTableStyles();
  const ticks = countTicks(Math.max(0, ...counts.map((c) => c.count)));
  const top = ticks[ticks.length - 1];
  const colors = [tokens.colorBrandBackground];
  return (
    <figure className={styles.figure} data-chart={id} aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className={styles.title}>{title}</figcaption>
      {note && <div className={styles.note}>{note}</div>}
      {counts.every((c) => c.count === 0) ? (
        <div className={styles.note} data-empty>None in this period.</div>
      ) : (
        <div className={styles.chart}>
          {horizontal ? (
            <HorizontalBarChartWithAxis
              chartTitle={title}
              // Drawn from the bottom up: reversed, the bars read in the table's order.
              data={[...counts].reverse().map((c) => ({ x: c.count, y: c.label, legend: c.label, xAxisCalloutData: String(c.count) }))}
              height={Math.max(160, counts.length * 30 + 60)}
              hideLegend
              useSingleColor
              colors={colors}
              xMaxValue={top}
              tickValues={ticks}
              showYAxisLables
              showYAxisLablesTooltip
              // Room for the labels (the chart does not make it): long ones end in "…" and show whole on hover.
              margins={{ left: 230, right: 16 }}
              noOfCharsToTruncate={30}
            />
          ) : (
            <VerticalBarChart
              chartTitle={title}
              data={counts.map((c) => ({ x: c.label, y: c.count, legend: c.label, yAxisCalloutData: String(c.count) }))}
              height={260}
              hideLegend
              useSingleColor
              colors={colors}
              yMaxValue={top}
              yAxisTickValues={ticks}
              wrapXAxisLables
            />
          )}
        </div>
      )}
      <table className={t.table} data-table={id}>
        <caption className={t.caption}>{`${title}: the numbers`}</caption>
        <thead>
          <tr>
            <th scope="col" className={t.head}>{itemHeader}</th>
            <th scope="col" className={t.numberHead}>Concerns</th>
          </tr>
        </thead>
        <tbody>
          {counts.map((c) => (
            <tr key={c.key} data-key={c.key}>
              <th scope="row" className={t.cell}>{c.label}</th>
              <td className={t.number}>{c.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/**
 * The filtering and monitoring part of the governors' report (policy §7.3; PRODUCT.md §7; DfE Filtering
 * and Monitoring Standards). Today: the concerns raised in the period in the categories "filtering
 * breach" and "monitoring alert", as the reader counts them (core/trends.ts).
 *
 * The seam for the filtering and monitoring log (issue 11, part 3: filtering changes, checks, the annual
 * review): read its entries for `period` here and return them as `log` lines; the report, its page, PDF
 * and CSV show them under the concern counts with no other change.
 */
import type { FilteringMonitoringSummary } from '../../core/report';
import type { Period, Trends } from '../../core/trends';
import type { Services } from '../../runtime/services';

export async function filteringAndMonitoringSummary(_s: Services, _period: Period, counted: Trends): Promise<FilteringMonitoringSummary> {
  const count = (category: string) => counted.byCategory.find((c) => c.key === category)?.count ?? 0;
  return { filteringBreaches: count('filteringBreach'), monitoringAlerts: count('monitoringAlert') };
}

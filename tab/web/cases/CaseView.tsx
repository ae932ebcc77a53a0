/**
 * One case in full (PRODUCT.md §3, §6): what was reported, the learners (each linked to their own
 * chronology), who has it, the acknowledgement, the next step, the checklist, the chronology and the
 * closure. Those it is with act on it (CaseActions); anyone else routing lets read it sees it read-only.
 * Opening it is audited by the server.
 */
import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Link, MessageBar, MessageBarBody, Spinner, Text, makeStyles, tokens, useRestoreFocusTarget } from '@fluentui/react-components';
import type { CasePageView } from '../../api/view';
import type { TabApi } from '../api';
import { ProblemBar, problemOf, type Problem } from '../components/ProblemBar';
import { CaseActions } from './CaseActions';
import { CaseFlags, StatusBadge } from './CaseFlags';
import { ChronologyTable } from './ChronologyTable';
import { formatDay, formatTime } from './format';
import { LinkLearnerDialog, type LinkRequest } from './LinkLearnerDialog';
import { useFocusOnOpen } from './useFocusOnOpen';

const useStyles = makeStyles({
  page: { padding: '16px 20px', display: 'flex', flexDirection: 'column', gap: '12px', maxWidth: '1100px' },
  header: { display: 'flex', flexWrap: 'wrap', gap: '8px', alignItems: 'center' },
  heading: { outlineStyle: 'none' },
  back: { alignSelf: 'flex-start' },
  section: { display: 'flex', flexDirection: 'column', gap: '6px' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: '16px', rowGap: '4px', margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold },
  detail: { margin: 0, whiteSpace: 'pre-wrap' },
  list: { margin: 0, paddingLeft: '20px' },
  checkItem: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap', padding: '2px 0' },
});

type Facts = [string, string | undefined][];

function FactList({ facts, label }: { facts: Facts; label: string }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts} aria-label={label}>
      {facts.filter(([, v]) => v).map(([k, v]) => [<dt key={`${k}-t`} className={styles.term}>{k}</dt>, <dd key={`${k}-d`} className={styles.detail}>{v}</dd>])}
    </dl>
  );
}

export function CaseView(props: { api: TabApi; reference: string; open: (sub?: string) => void }) {
  const styles = useStyles();
  const { api, reference, open } = props;
  const [view, setView] = useState<CasePageView | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [notice, setNotice] = useState('');
  const [linking, setLinking] = useState<LinkRequest | undefined>();
  const restoreFocus = useRestoreFocusTarget();
  const heading = useFocusOnOpen<HTMLHeadingElement>(!!view);

  const load = useCallback(async () => {
    try {
      setView(await api.casePage(reference));
      setProblem(undefined);
    } catch (e) {
      setProblem(problemOf(e));
    }
  }, [api, reference]);
  useEffect(() => void load(), [load]);

  const changed = (next: CasePageView, said: string) => {
    setView(next);
    setNotice(said);
    setLinking(undefined);
  };

  const back = <Button appearance="subtle" className={styles.back} onClick={() => open(undefined)}>← Back to the list</Button>;
  if (!view) return <main className={styles.page}>{back}{problem ? <ProblemBar problem={problem} /> : <Spinner label="Opening the case…" />}</main>;
  const c = view.concern;
  const named = (people: CasePageView['holders']) => people.map((h) => `${h.name}, ${h.role}`).join('; ');
  const holders = named(view.holders);
  return (
    <main className={styles.page}>
      {back}
      <div className={styles.header}>
        <Text as="h1" size={500} weight="semibold" ref={heading} tabIndex={-1} className={styles.heading}>{`Case ${view.reference}`}</Text>
        <StatusBadge status={view.status} />
        <CaseFlags c={{ ...view, staffInvolvedName: c.staffInvolvedName }} />
      </div>
      <Text>{`${view.category.title} (policy ${view.category.policy}) · ${view.phaseLabel} · raised by ${view.reporterName}, ${formatTime(view.createdAt)}`}</Text>
      {notice && <MessageBar intent="success"><MessageBarBody>{notice}</MessageBarBody></MessageBar>}
      {problem && <ProblemBar problem={problem} />}
      {view.canAct ? (
        <CaseActions api={api} view={view} onChanged={changed} />
      ) : (
        <MessageBar intent="info" id="read-only">
          <MessageBarBody>{`You can read this case but not change it: only the people it is with now (${holders || 'nobody'}) can act on it.`}</MessageBarBody>
        </MessageBar>
      )}
      {view.directoryStale && <MessageBar intent="warning"><MessageBarBody>Microsoft 365 could not be reached when this case was routed: the list of people it went to may be out of date.</MessageBarBody></MessageBar>}

      <section className={styles.section} aria-labelledby="h-reported">
        <Text as="h2" weight="semibold" id="h-reported">What was reported</Text>
        <FactList
          label="What was reported"
          facts={[
            ['What happened', c.whatHappened],
            ['When', `${formatDay(c.happenedOn)}${c.happenedAt ? `, ${c.happenedAt}` : ''}`],
            ['Where', c.where],
            ['Device', c.device],
            ['Link', c.url],
            ['Reported Teams message', c.reportedMessage ? [c.reportedMessage.author && `from ${c.reportedMessage.author}`, c.reportedMessage.link].filter(Boolean).join(': ') || 'yes' : undefined],
            ['Anyone in immediate danger', c.immediateDanger ? 'Yes' : 'No'],
            ['Done already', c.actionsTaken],
            ['About a member of staff', c.staffInvolvedName],
          ]}
        />
      </section>

      <section className={styles.section} aria-labelledby="h-learners">
        <Text as="h2" weight="semibold" id="h-learners">Learners</Text>
        {c.learners.length === 0 && <Text>No learner is named.</Text>}
        <ul className={styles.list} aria-label="Learners">
          {c.learners.map((l, index) => (
            <li key={`${index}-${l.name}`}>
              {`${l.name || 'A learner not named'}${l.yearGroup ? `, ${l.yearGroup}` : ''}${l.dateOfBirth ? `, born ${formatDay(l.dateOfBirth)}` : ''} `}
              {l.learnerId ? (
                <Link onClick={() => open(`learner:${l.learnerId}`)}>{`${l.name}'s chronology`}</Link>
              ) : (
                <>
                  <Text italic>(not in the roster) </Text>
                  {view.canAct && <Button size="small" {...restoreFocus} onClick={() => setLinking({ index, name: l.name, yearGroup: l.yearGroup })}>Link to the roster</Button>}
                </>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section className={styles.section} aria-labelledby="h-with">
        <Text as="h2" weight="semibold" id="h-with">Who has it</Text>
        <FactList
          label="Who has it"
          facts={[
            ['With', holders || 'Nobody'],
            ['Had it before', named(view.formerHolders)],
            ['Acknowledged', view.acknowledged ? `by ${view.acknowledged.byName}, ${formatTime(view.acknowledged.at)}` : view.status === 'closed' ? undefined : 'Not yet'],
            ['To be acknowledged by', view.deadline && formatTime(view.deadline)],
            ['Escalated', view.escalationLevel > 0 ? `${view.escalationLevel} ${view.escalationLevel === 1 ? 'time' : 'times'}` : undefined],
            ['Next step', view.nextStep && `${view.nextStep.what}: ${view.nextStep.ownerName}, due ${formatDay(view.nextStep.dueOn)}${view.nextStep.overdue ? ' (overdue)' : ''}; set by ${view.nextStep.setByName}`],
          ]}
        />
      </section>

      {view.closure && (
        <section className={styles.section} aria-labelledby="h-closure">
          <Text as="h2" weight="semibold" id="h-closure">Closure</Text>
          <FactList
            label="Closure"
            facts={[
              ['Closed', `by ${view.closure.closedByName}, ${formatTime(view.closure.closedAt)}`],
              ['Decision', view.closure.decision],
              ['Reason', view.closure.reason],
              ['Outcome', view.closure.outcome],
              ['Lessons learnt', view.closure.lessonsLearnt],
              ['Retention review', view.retentionReviewOn && formatDay(view.retentionReviewOn)],
            ]}
          />
        </section>
      )}

      <section className={styles.section} aria-labelledby="h-checklist">
        <Text as="h2" weight="semibold" id="h-checklist">{`Checklist for ${view.category.title.toLowerCase()}`}</Text>
        <ul className={styles.list} aria-label="Checklist">
          {view.checklist.map((item) => (
            <li key={item.item} data-done={item.done} className={styles.checkItem}>
              <Text>{item.item}</Text>
              {item.done ? <Badge appearance="tint" color="success">Done</Badge> : <Badge appearance="outline" color="informative">Not done</Badge>}
            </li>
          ))}
        </ul>
      </section>

      <section className={styles.section} aria-labelledby="h-chronology">
        <Text as="h2" weight="semibold" id="h-chronology">Chronology</Text>
        <ChronologyTable label="Chronology" entries={view.chronology} />
      </section>

      <LinkLearnerDialog api={api} reference={view.reference} request={linking} onClose={() => setLinking(undefined)} onLinked={changed} />
    </main>
  );
}

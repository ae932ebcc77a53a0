/**
 * What the people a case is with can do on the case page (PRODUCT.md §3, §6): acknowledge it, record
 * an action or referral, set the next step, reassign, close, reopen. Each change answers with the case
 * as it now is, which the page then shows; a refusal is shown where it was asked.
 */
import { useState, type ComponentType } from 'react';
import { Button, makeStyles, useRestoreFocusTarget } from '@fluentui/react-components';
import type { CasePageView } from '../../api/view';
import type { TabApi } from '../api';
import { ProblemBar, problemOf, type Problem } from '../components/ProblemBar';
import { CloseForm, NextStepForm, ReassignForm, RecordActionForm, ReopenForm, type FormProps } from './CaseForms';

type Change = 'actions' | 'next-step' | 'reassign' | 'close' | 'reopen';

const FORMS: Record<Change, { button: string; done: (body: Record<string, string>) => string; Form: ComponentType<FormProps> }> = {
  actions: { button: 'Record action', done: (b) => `Recorded: ${b.action}.`, Form: RecordActionForm },
  'next-step': { button: 'Next step', done: () => 'The next step is set.', Form: NextStepForm },
  reassign: { button: 'Reassign', done: () => 'The case is reassigned.', Form: ReassignForm },
  close: { button: 'Close the case', done: () => 'The case is closed.', Form: CloseForm },
  reopen: { button: 'Reopen', done: () => 'The case is reopened.', Form: ReopenForm },
};

const useStyles = makeStyles({
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '8px' },
});

export function CaseActions(props: { api: TabApi; view: CasePageView; onChanged: (view: CasePageView, notice: string) => void }) {
  const styles = useStyles();
  const { api, view } = props;
  const [open, setOpen] = useState<Change | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [acknowledging, setAcknowledging] = useState(false);
  const restoreFocus = useRestoreFocusTarget();
  const closed = view.status === 'closed';
  const offered: Change[] = closed ? ['reopen'] : ['actions', 'next-step', 'reassign', 'close'];

  const acknowledge = async () => {
    setAcknowledging(true);
    setProblem(undefined);
    try {
      props.onChanged(await api.changeCase(view.reference, 'acknowledge'), 'Acknowledged: the reporter and the others it went to are told.');
    } catch (e) {
      setProblem(problemOf(e));
    }
    setAcknowledging(false);
  };

  const submit = (change: Change) => async (body: Record<string, string>) => {
    const next = await api.changeCase(view.reference, change, body);
    setOpen(undefined);
    props.onChanged(next, FORMS[change].done(body));
  };

  return (
    <>
      <div className={styles.toolbar} role="toolbar" aria-label="Act on the case">
        {!closed && !view.acknowledged && (
          <Button appearance="primary" disabled={acknowledging} onClick={() => void acknowledge()}>Acknowledge</Button>
        )}
        {offered.map((c) => (
          <Button key={c} {...restoreFocus} onClick={() => setOpen(c)}>{FORMS[c].button}</Button>
        ))}
      </div>
      {problem && <ProblemBar problem={problem} />}
      {/* Every form stays mounted (a dialog unmounted while open leaves the page hidden from screen readers). */}
      {(Object.keys(FORMS) as Change[]).map((c) => {
        const { Form } = FORMS[c];
        return <Form key={c} open={open === c} view={view} onClose={() => setOpen(undefined)} submit={submit(c)} />;
      })}
    </>
  );
}

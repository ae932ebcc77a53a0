/**
 * A reminder run the bot is sending, paced (the register's AUPs, the training courses): its progress,
 * asked for again each second until it is done.
 */
import { useEffect, useState } from 'react';
import { ProgressBar, Text } from '@fluentui/react-components';
import type { ReminderProgress } from '../../api/view';

/** The run last started, kept up to date while it runs. */
export function useReminderRun(poll: (id: string) => Promise<ReminderProgress>): [ReminderProgress | undefined, (started: ReminderProgress | undefined) => void] {
  const [run, setRun] = useState<ReminderProgress | undefined>();
  useEffect(() => {
    if (!run || run.status === 'done') return;
    const t = setTimeout(() => void poll(run.id).then(setRun, () => undefined), 1000);
    return () => clearTimeout(t);
  }, [poll, run]);
  return [run, setRun];
}

export function ReminderStatus({ run, subject }: { run: ReminderProgress; subject: string }) {
  return (
    <div aria-live="polite" id="reminder-status">
      <Text>{`Reminders for ${subject}: ${run.sent} of ${run.total} sent${run.failed ? `, ${run.failed} could not be delivered` : ''}${run.status === 'done' ? '. Done.' : '…'}`}</Text>
      <ProgressBar value={run.total ? (run.sent + run.failed) / run.total : 1} />
      {run.notInTeams.length > 0 && (
        <Text block id="reminder-not-in-teams">{`${run.notInTeams.length} due cannot be reached in Teams (no Microsoft 365 account), so tell them another way: ${run.notInTeams.join(', ')}.`}</Text>
      )}
    </div>
  );
}

/**
 * What went wrong, as the server said it: its sentence and, below, each detail (the fields it refused).
 * The server's words are shown as they are, because they say what to change ("Give the outcome.").
 */
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError } from '../api';

export interface Problem {
  message: string;
  details: string[];
}

export function problemOf(e: unknown): Problem {
  if (e instanceof ApiError) return { message: e.message, details: e.details };
  return { message: e instanceof Error ? e.message : String(e), details: [] };
}

export function ProblemBar({ problem }: { problem: Problem }) {
  return (
    <MessageBar intent="error" layout={problem.details.length ? 'multiline' : 'auto'} role="alert">
      <MessageBarBody>
        <MessageBarTitle>{problem.message}</MessageBarTitle>
        {problem.details.length > 0 && (
          <ul>
            {problem.details.map((d) => <li key={d}>{d}</li>)}
          </ul>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

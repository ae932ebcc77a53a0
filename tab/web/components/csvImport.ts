/**
 * A CSV import as the office does it (people on the register page, training records from the MIS):
 * choose a file, read the server's report on every row, then import, following the progress the server
 * streams, to its summary. The two panels differ only in what they show.
 */
import { useState } from 'react';
import { problemText } from '../api';

/** What one line of streamed progress says. */
export interface ProgressMeaning {
  progress?: { done: number; of: number };
  result?: string;
  error?: string;
}

export function useCsvImport<Check, Line>(calls: {
  check: (csv: string) => Promise<Check>;
  run: (csv: string, onLine: (line: Line) => void) => Promise<void>;
  meaning: (line: Line) => ProgressMeaning;
  onImported: () => void;
}) {
  const [csv, setCsv] = useState('');
  const [check, setCheck] = useState<Check | undefined>();
  const [progress, setProgress] = useState<{ done: number; of: number } | undefined>();
  const [result, setResult] = useState('');
  const [error, setError] = useState('');
  const [running, setRunning] = useState(false);

  const choose = async (file: File | undefined) => {
    setCheck(undefined);
    setProgress(undefined);
    setResult('');
    setError('');
    if (!file) return;
    const text = await file.text();
    setCsv(text);
    try {
      setCheck(await calls.check(text));
    } catch (e) {
      setError(problemText(e));
    }
  };

  /** Imports the file chosen; `rows` is how many the report said would be written. */
  const start = async (rows: number) => {
    setRunning(true);
    setProgress({ done: 0, of: rows });
    try {
      await calls.run(csv, (line) => {
        const m = calls.meaning(line);
        if (m.progress) setProgress(m.progress);
        if (m.result) setResult(m.result);
        if (m.error) setError(m.error);
      });
      calls.onImported();
    } catch (e) {
      setError(problemText(e));
    }
    setRunning(false);
    setCheck(undefined);
  };

  return { check, progress, result, error, running, choose, start };
}

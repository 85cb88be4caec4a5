import type { Result } from './report.js';

export interface Subject {
  readonly group: string;
  readonly case: string;
  readonly subject: string;
  readonly unit: string;
  readonly note?: string;
}

/** Progress lines go to stderr, so stdout stays the report. */
export function progress(text: string): void {
  process.stderr.write(`[bench] ${text}\n`);
}

/**
 * Runs `once` `runs` times (after `warmups` untimed runs) and keeps every value. A run that throws ends
 * the row as failed with the error's words: a figure is either measured or absent.
 */
export async function measure(
  subject: Subject,
  runs: number,
  once: () => Promise<number>,
  warmups = 0,
): Promise<Result> {
  const samples: number[] = [];
  try {
    for (let i = 0; i < warmups; i++) await once();
    for (let i = 0; i < runs; i++) {
      const value = await once();
      if (!Number.isFinite(value)) throw new Error(`not a number: ${value}`);
      samples.push(value);
    }
    progress(
      `${subject.case} · ${subject.subject}: ${samples.map((v) => v.toFixed(1)).join(', ')} ${subject.unit}`,
    );
    return { ...subject, samples };
  } catch (error) {
    const reason = `failed: ${(error as Error).message.split('\n')[0]}`;
    progress(`${subject.case} · ${subject.subject}: ${reason}`);
    return { ...subject, samples: [], skipped: reason };
  }
}

/** A row with no figure, saying why. */
export function skipped(subject: Subject, reason: string): Result {
  progress(`${subject.case} · ${subject.subject}: skipped (${reason})`);
  return { ...subject, samples: [], skipped: reason };
}

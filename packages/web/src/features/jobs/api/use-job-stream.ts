import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { EvalEventSchema, ProgressEventSchema } from '@whetstone/core';
import { apiFetch } from '../../../lib/api-fetch.ts';
import { openEventStream, type StreamState } from '../../../lib/event-stream.ts';
import { JobSeries } from './job-series.ts';
import { jobKeys } from './job-types.ts';

/** Events after which the job itself (status, progress, checkpoint) is fetched again. */
const JOB_CHANGING = new Set(['status', 'started', 'plan', 'checkpoint', 'stopped', 'result', 'error']);

/**
 * Follow `GET /api/v1/jobs/:id/events`: every stored event first (the whole curve, also after a
 * reload), then live ones. Progress events (loss, learning rate, tokens/s) and eval events feed
 * the job's curves, parsed with the worker protocol's own schemas; the stream reconnects with Last-Event-ID on drops, and opens
 * again from where it stopped when a paused job is resumed (`active` turns true).
 */
export function useJobStream(id: string, active: boolean): { series: JobSeries; state: StreamState } {
  const qc = useQueryClient();
  const [series] = useState(() => new JobSeries());
  const [state, setState] = useState<StreamState>('connecting');
  const [ended, setEnded] = useState(false);

  // A resume after the server ended the stream (paused, finished): listen again.
  useEffect(() => {
    if (active && ended) setEnded(false);
  }, [active, ended]);

  useEffect(() => {
    if (ended) return;
    let refetch: ReturnType<typeof setTimeout> | null = null;
    const refreshJob = () => {
      refetch ??= setTimeout(() => {
        refetch = null;
        void qc.invalidateQueries({ queryKey: jobKeys.detail(id) });
      }, 250);
    };
    const stream = openEventStream(`/api/v1/jobs/${encodeURIComponent(id)}/events`, {
      fetch: apiFetch,
      lastEventId: series.lastSeq ? String(series.lastSeq) : null,
      onStateChange: (s) => setState(s),
      onMessage(m) {
        if (m.event === 'ping') return;
        if (m.event === 'end') {
          refreshJob();
          void qc.invalidateQueries({ queryKey: jobKeys.list() });
          setEnded(true);
          return 'close';
        }
        let data: unknown;
        try {
          data = JSON.parse(m.data);
        } catch {
          return;
        }
        const seq = Number(m.id);
        if (Number.isFinite(seq)) series.lastSeq = Math.max(series.lastSeq, seq);
        if (m.event === 'progress') {
          const p = ProgressEventSchema.safeParse(data);
          if (p.success) {
            const { step, loss, learning_rate: lr, tokens_per_sec: tps } = p.data;
            series.add('loss', step, loss);
            series.add('learning_rate', step, lr);
            if (tps !== null) series.add('tokens_per_sec', step, tps);
            const pref = p.data.preference;
            if (pref) {
              series.add('reward_margin', step, pref.margin);
              series.add('preference_accuracy', step, pref.accuracy);
            }
          }
        } else if (m.event === 'eval') {
          const e = EvalEventSchema.safeParse(data);
          if (e.success) {
            series.add('eval_loss', e.data.step, e.data.eval_loss);
            if (typeof e.data.perplexity === 'number') series.add('eval_perplexity', e.data.step, e.data.perplexity);
          }
        }
        if (JOB_CHANGING.has(m.event)) refreshJob();
      },
    });
    return () => {
      if (refetch) clearTimeout(refetch);
      stream.close();
    };
  }, [id, ended, qc, series]);

  return { series, state };
}

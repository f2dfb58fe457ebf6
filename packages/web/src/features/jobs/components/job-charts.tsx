import { useMemo, useState } from 'react';
import type { DiagnosisEvidence, Method } from '@whetstone/core';
import { useT } from '../../../lib/i18n.tsx';
import type { JobSeries } from '../api/job-series.ts';
import { useSmoothing } from '../hooks/use-smoothing.ts';
import { jobsMessages } from '../jobs.i18n.ts';
import { evidenceMarks } from '../lib/evidence-marks.ts';
import { ChartGroup } from './chart-group.ts';
import { LossChart } from './loss-chart.tsx';
import { MetricChart } from './metric-chart.tsx';

const formatLr = (v: number) => (v === 0 ? '0' : v.toExponential(1));
const formatShare = (v: number) => `${Math.round(v * 100)}%`;
const formatRate = (v: number) => (Math.abs(v) >= 10_000 ? `${(v / 1000).toFixed(0)}k` : String(Math.round(v * 100) / 100));

export interface JobChartsProps {
  series: JobSeries;
  /** The job's method: dpo and orpo add the preference curves, pretrain the held-out perplexity. */
  method: Method;
  evidence: readonly DiagnosisEvidence[];
  /** The evidence item pointed at in the diagnosis panel. */
  highlight: number | null;
}

/**
 * The job's curves: loss (smoothed, with the diagnosis evidence marked), then learning rate and
 * tokens/s stacked under it on the same steps and axis widths, the three in one sync group. Loaded on demand: uPlot is not in the
 * initial bundle.
 */
export default function JobCharts({ series, method, evidence, highlight }: JobChartsProps) {
  const t = useT(jobsMessages);
  const [group] = useState(() => new ChartGroup());
  const [smoothing, setSmoothing] = useSmoothing();
  const marks = useMemo(() => ({ marks: evidenceMarks(evidence), highlight }), [evidence, highlight]);
  return (
    <>
      <LossChart series={series} group={group} smoothing={smoothing} onSmoothing={setSmoothing} marks={marks} />
      <MetricChart series={series} group={group} metric="learning_rate" label={t('learningRate')} stepLabel={t('step')} color="#047857" format={formatLr} />
      <MetricChart series={series} group={group} metric="tokens_per_sec" label={t('tokensPerSec')} stepLabel={t('step')} color="#7c3aed" format={formatRate} />
      {(method === 'dpo' || method === 'orpo') && (
        <>
          <MetricChart series={series} group={group} metric="reward_margin" label={t('rewardMargin')} stepLabel={t('step')} color="#be123c" format={formatRate} />
          <MetricChart series={series} group={group} metric="preference_accuracy" label={t('preferenceAccuracy')} stepLabel={t('step')} color="#0e7490" format={formatShare} />
        </>
      )}
      {method === 'pretrain' && <MetricChart series={series} group={group} metric="eval_perplexity" label={t('evalPerplexity')} stepLabel={t('step')} color="#b45309" format={formatRate} />}
    </>
  );
}

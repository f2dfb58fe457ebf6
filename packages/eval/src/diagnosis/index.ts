export { diagnoseTraining, MIN_LOSS_POINTS, type DiagnoseOptions } from './diagnose-training.ts';
export { metricSeries, type MetricPointLike, type Series } from './metric-series.ts';

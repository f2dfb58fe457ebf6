import type { Evaluation } from '@whetstone/core';

/** Whether the evaluation's judge still has to run or is running (its model or connection is needed). */
export const isJudging = (e: Evaluation) => e.judge?.status === 'queued' || e.judge?.status === 'running';

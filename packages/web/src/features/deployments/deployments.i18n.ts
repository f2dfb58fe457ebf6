import type { DeploymentStatus } from '@whetstone/core';
import { defineMessages } from '../../lib/i18n.tsx';

export const deploymentStatusMessages = defineMessages({
  en: { loading: 'Loading', ready: 'Ready', stopped: 'Stopped', failed: 'Failed' } satisfies Record<DeploymentStatus, string>,
  zh: { loading: '加载中', ready: '就绪', stopped: '已停止', failed: '失败' },
});

export const deploymentsMessages = defineMessages({
  en: {
    title: 'Deployments',
    empty: 'Nothing deployed. Every registered model can already be called at /v1/chat/completions; deploy one to give it its own queue and backend.',
    name: 'Name',
    backend: 'Backend',
    status: 'Status',
    endpoint: 'Endpoint',
    queue: 'Queue',
    queueValue: '{running} running, {queued} waiting',
  },
  zh: {
    title: '部署',
    empty: '还没有部署。每个已注册的模型都可以直接通过 /v1/chat/completions 调用；部署后它会有自己的队列和推理后端。',
    name: '名称',
    backend: '推理后端',
    status: '状态',
    endpoint: '调用地址',
    queue: '队列',
    queueValue: '{running} 个运行中，{queued} 个等待中',
  },
});

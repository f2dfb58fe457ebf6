import { defineMessages } from '../lib/i18n.tsx';

export const appMessages = defineMessages({
  en: {
    skip: 'Skip to content',
    nav: 'Main',
    overview: 'Overview',
    data: 'Data',
    newJob: 'New fine-tune',
    evaluations: 'Evaluations',
    benchmarks: 'Benchmarks',
    models: 'Models',
    keys: 'API keys',
    notifications: 'Notifications',
    connections: 'Connections',
    playground: 'Playground',
    language: 'Language',
    notFoundTitle: 'Page not found',
    notFound: 'There is no page at this address.',
    goHome: 'Go to the overview',
    pageFailed: 'This page could not be loaded. Reload to try again.',
    reload: 'Reload',
  },
  zh: {
    skip: '跳到主要内容',
    nav: '主导航',
    overview: '概览',
    data: '数据',
    newJob: '新建微调',
    evaluations: '评测',
    benchmarks: '基准测试',
    models: '模型',
    keys: 'API 密钥',
    notifications: '通知',
    connections: '外部连接',
    playground: '体验场',
    language: '语言',
    notFoundTitle: '页面不存在',
    notFound: '这个地址没有页面。',
    goHome: '返回概览',
    pageFailed: '此页面加载失败，请刷新重试。',
    reload: '刷新',
  },
});

export const overviewMessages = defineMessages({
  en: { title: 'Overview', jobs: 'Fine-tuning jobs', models: 'Models', deployments: 'Deployments', allData: 'Datasets' },
  zh: { title: '概览', jobs: '微调任务', models: '模型', deployments: '部署', allData: '数据集' },
});

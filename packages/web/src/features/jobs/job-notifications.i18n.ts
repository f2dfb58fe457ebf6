import { defineMessages } from '../../lib/i18n.tsx';

export const jobNotificationMessages = defineMessages({
  en: {
    title_succeeded: 'Fine-tune finished',
    title_failed: 'Fine-tune failed',
    title_cancelled: 'Fine-tune cancelled',
    body: '{name} · open Whetstone to see the result',
  },
  zh: {
    title_succeeded: '微调已完成',
    title_failed: '微调失败',
    title_cancelled: '微调已取消',
    body: '{name} · 打开 Whetstone 查看结果',
  },
});

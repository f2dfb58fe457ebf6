import { defineMessages } from '../../lib/i18n.tsx';

export const quickStartMessages = defineMessages({
  en: {
    title: 'Quick start',
    intro: 'No fine-tuning job yet. From data to a deployed model in four steps:',
    step1: 'Upload your data on the Data page: each bad line is shown with its field and how to fix it.',
    step2: 'Start a fine-tune with the guided form:',
    step2Cli: 'or from a terminal:',
    step3: 'Watch it here: the loss curve, the diagnosis and the log update live, and survive a reload.',
    step4: 'Call the result at /v1/chat/completions with any OpenAI client.',
    goData: 'Go to Data',
    goNewJob: 'New fine-tune',
  },
  zh: {
    title: '快速开始',
    intro: '还没有微调任务。从数据到部署模型只需四步：',
    step1: '在“数据”页上传数据：每个有问题的行都会显示出错字段和修改方法。',
    step2: '用引导式表单开始微调：',
    step2Cli: '或在终端中运行：',
    step3: '在这里查看训练：损失曲线、诊断和日志实时更新，刷新页面也不会丢失。',
    step4: '用任何 OpenAI 客户端调用 /v1/chat/completions 使用训练结果。',
    goData: '前往数据页',
    goNewJob: '新建微调',
  },
});

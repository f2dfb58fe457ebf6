import { defineMessages } from '../../lib/i18n.tsx';

export const modelsMessages = defineMessages({
  en: {
    title: 'Models',
    empty: 'No model registered yet. Register a local Hugging Face folder with `whet models add PATH`, or pull one with `whet models pull ID`.',
    name: 'Name',
    kind: 'Kind',
    params: 'Parameters',
    context: 'Context length',
    base: 'Base model',
    adapter: 'Fine-tuned adapter',
    full: 'Fine-tuned weights',
    fromJob: 'trained by a job',
  },
  zh: {
    title: '模型',
    empty: '还没有注册模型。用 `whet models add PATH` 注册本地 Hugging Face 模型文件夹，或用 `whet models pull ID` 拉取。',
    name: '名称',
    kind: '类型',
    params: '参数量',
    context: '上下文长度',
    base: '基础模型',
    adapter: '微调适配器',
    full: '微调后的完整权重',
    fromJob: '由任务训练得到',
  },
});

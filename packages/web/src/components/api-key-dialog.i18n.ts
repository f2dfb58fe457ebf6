import { defineMessages } from '../lib/i18n.tsx';

export const apiKeyDialogMessages = defineMessages({
  en: {
    title: 'API key required',
    missing: 'This Whetstone server requires an API key. Enter one to continue; it is kept only in this browser tab until you close it.',
    rejected: 'The server did not accept that API key. Check it and enter it again.',
    label: 'API key',
    submit: 'Continue',
    cancel: 'Cancel',
  },
  zh: {
    title: '需要 API 密钥',
    missing: '此 Whetstone 服务器需要 API 密钥。请输入密钥以继续；它只保存在当前浏览器标签页中，关闭后即清除。',
    rejected: '服务器未接受该 API 密钥，请检查后重新输入。',
    label: 'API 密钥',
    submit: '继续',
    cancel: '取消',
  },
});

import { defineMessages } from '../lib/i18n.tsx';

/** The state of a live page's event stream. */
export const liveStatusMessages = defineMessages({
  en: { live: 'Live', connecting: 'Connecting…', retrying: 'Connection lost, reconnecting…' },
  zh: { live: '实时', connecting: '正在连接…', retrying: '连接中断，正在重连…' },
});

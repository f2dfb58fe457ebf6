import { defineMessages } from '../../lib/i18n.tsx';

/** Cancel and delete on the evaluation page, and the note that says who cancelled. */
export const evaluationActionsMessages = defineMessages({
  en: {
    cancel: 'Cancel',
    cancelJudge: 'Cancel judging',
    confirmCancel: 'Cancel this evaluation? Its worker is stopped; the models that have finished keep their scores.',
    confirmCancelJudge: 'Cancel this judge pass? The answers and scores stay; this pass leaves no verdicts.',
    delete: 'Delete',
    deleting: 'Deleting…',
    confirmDelete: 'Delete the evaluation “{name}” with its samples and files? This cannot be undone.',
    stopping: 'Cancel requested by {by}: it ends as cancelled once its worker has stopped.',
    cancelledBy: 'Cancelled by {by} on {at}. The models that had finished keep their scores.',
    judgeCancelledBy: 'Judging cancelled by {by} on {at}.',
  },
  zh: {
    cancel: '取消',
    cancelJudge: '取消评审',
    confirmCancel: '要取消此评测吗？其工作进程会被停止；已完成的模型保留其分数。',
    confirmCancelJudge: '要取消这次评审吗？回答和分数保留；这次评审不会留下判定。',
    delete: '删除',
    deleting: '正在删除…',
    confirmDelete: '要删除评测“{name}”及其样本和文件吗？此操作无法撤销。',
    stopping: '{by} 已请求取消：工作进程停止后，状态变为已取消。',
    cancelledBy: '已由 {by} 于 {at} 取消。已完成的模型保留其分数。',
    judgeCancelledBy: '评审已由 {by} 于 {at} 取消。',
  },
});

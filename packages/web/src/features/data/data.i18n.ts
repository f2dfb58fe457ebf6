import type { LineErrorCode } from '@whetstone/data';
import type { DATASET_STATUSES } from '@whetstone/core';
import { defineMessages } from '../../lib/i18n.tsx';

type DatasetStatus = (typeof DATASET_STATUSES)[number];

export const datasetStatusMessages = defineMessages({
  en: { processing: 'Checking', ready: 'Ready', invalid: 'Invalid' } satisfies Record<DatasetStatus, string>,
  zh: { processing: '校验中', ready: '可用', invalid: '无效' },
});

/** Each line problem's name; the server's message beside it says exactly what to fix. */
export const lineErrorMessages = defineMessages({
  en: {
    invalid_json: 'Not valid JSON',
    invalid_utf8: 'Not valid UTF-8 text',
    invalid_csv: 'Not a valid CSV row',
    line_too_long: 'Line too long',
    too_deep: 'Nested too deeply',
    missing_field: 'Missing field',
    empty_field: 'Empty field',
    wrong_type: 'Wrong type',
    unknown_role: 'Unknown role',
    no_assistant_turn: 'No assistant answer',
    role_order: 'Turns in the wrong order',
    mixed_formats: 'Row in another format',
  } satisfies Record<LineErrorCode, string>,
  zh: {
    invalid_json: '不是有效的 JSON',
    invalid_utf8: '不是有效的 UTF-8 文本',
    invalid_csv: '不是有效的 CSV 行',
    line_too_long: '行过长',
    too_deep: '嵌套层级过深',
    missing_field: '缺少字段',
    empty_field: '字段为空',
    wrong_type: '类型错误',
    unknown_role: '未知角色',
    no_assistant_turn: '缺少助手回答',
    role_order: '对话轮次顺序错误',
    mixed_formats: '该行属于另一种格式',
  },
});

export const dataMessages = defineMessages({
  en: {
    title: 'Data',
    upload: 'Upload a dataset',
    dropHere: 'Drop a file here, or choose one',
    choose: 'Choose a file',
    formats: 'JSONL, JSON, CSV or Parquet rows in alpaca (instruction/output), ShareGPT (conversations) or OpenAI chat (messages) format.',
    keepGood: 'Keep the good rows and leave out the bad lines',
    uploading: 'Uploading {name}',
    uploaded: '{loaded} of {total}',
    checking: 'Checking the rows…',
    readyReport: '{name} is ready: {rows} rows in {format} format.',
    invalidReport: '{name} has problems in {lines} places. Fix these lines and upload it again, or keep only the good rows.',
    line: 'Line',
    field: 'Field',
    problem: 'Problem',
    fix: 'What the server says to fix',
    moreErrors: 'The first {shown} problems are listed, of {total}.',
    datasets: 'Datasets',
    empty: 'No datasets yet: upload one above.',
    name: 'Name',
    format: 'Format',
    rows: 'Rows',
    size: 'Size',
    status: 'Status',
    created: 'Created',
    unknown: 'unknown',
  },
  zh: {
    title: '数据',
    upload: '上传数据集',
    dropHere: '把文件拖到这里，或选择文件',
    choose: '选择文件',
    formats: '支持 JSONL、JSON、CSV 或 Parquet，行格式为 alpaca（instruction/output）、ShareGPT（conversations）或 OpenAI 对话（messages）。',
    keepGood: '保留正确的行，跳过有问题的行',
    uploading: '正在上传 {name}',
    uploaded: '{loaded} / {total}',
    checking: '正在校验各行…',
    readyReport: '{name} 已可用：共 {rows} 行，格式为 {format}。',
    invalidReport: '{name} 有 {lines} 处问题。请修正这些行后重新上传，或只保留正确的行。',
    line: '行号',
    field: '字段',
    problem: '问题',
    fix: '服务器给出的修改建议',
    moreErrors: '共 {total} 处问题，这里列出前 {shown} 处。',
    datasets: '数据集',
    empty: '还没有数据集：请在上方上传。',
    name: '名称',
    format: '格式',
    rows: '行数',
    size: '大小',
    status: '状态',
    created: '创建时间',
    unknown: '未知',
  },
});

import type { ScorePair } from '../score-pairs.ts';
import { seededRandom } from '../seeded-random.ts';

/**
 * Deterministic (prediction, reference) pairs for the parity tests and the benchmark: Chinese,
 * English and mixed text with digits, decimals and percentages, Chinese and ASCII punctuation,
 * emoji, unusual whitespace (\r\n, U+3000, U+00A0, U+0085, U+001C), sentence ends that
 * rouge_chinese cuts at, 13a's HTML entities, and the edge cases: empty, whitespace-only and
 * punctuation-only sides. Predictions are copies, near-copies (punctuation, case, spacing),
 * perturbed copies (dropped, swapped, replaced, inserted units) or unrelated texts.
 */
export function generatePairs(count: number, seed = 20261125): ScorePair[] {
  const rnd = seededRandom(seed);
  const pairs: ScorePair[] = [];
  for (let i = 0; i < count; i++) pairs.push(makePair(rnd));
  return pairs;
}

type Rng = () => number;
type Kind = 'zh' | 'en' | 'mixed';

const ZH_WORDS = (
  '我们 今天 学习 机器 学习 深度 神经网络 模型 训练 数据 集合 北京 上海 清华大学 中国科学院 计算所 研究生 生命 起源 ' +
  '结婚 和尚 尚未 乒乓球 拍卖 确实 在理 天安门 太阳 小明 硕士 毕业 日本 京都 深造 工信处 女干事 交换机 安装 工作 ' +
  '人工智能 自然语言 处理 语料库 评估 指标 准确率 召回率 微调 参数 学习率 过拟合 损失 函数 梯度 下降 优化器 批次 ' +
  '天气 很好 非常 喜欢 这个 那个 因为 所以 但是 如果 已经 可以 没有 什么 怎么 为什么 时候 问题 答案 回答 用户 ' +
  '助手 请问 谢谢 你好 世界 朋友 公司 产品 价格 服务 质量 客户 满意 推荐 购买 发货 退款 订单 物流 快递 杭研 大厦 ' +
  '永和 服装 饰品 有限公司 江州 市长 江大桥 发表 讲话 韩冰 李小福 创新办 主任 云计算 方面 专家 蓝翔 挖掘机 王晓明 ' +
  '正面 负面 中性 是的 不是 也许 一定 可能 必须 应该 开始 结束 继续 停止'
).split(' ');
const ZH_RARE = '龘靐齉爩鱻麤䲜犇骉羴猋贔掱淼焱垚壵嫑巭孬'.split('');
const EN_WORDS = (
  'the model learns to answer questions about data training loss evaluation metric score a an of in on for with ' +
  'fine tuning large language models is are was were be been good bad better best quick brown fox jumps over lazy dog ' +
  'Hello World GPU CPU LoRA BLEU ROUGE Python TypeScript C++ c# x86-64 e.g. i.e. U.S.A. don\'t it\'s we\'re can\'t ' +
  'positive negative neutral yes no maybe Paris France capital city state-of-the-art well-known self-hosted'
).split(' ');
const ZH_PUNCT = '，。！？、；：“”‘’（）《》【】…—'.split('').concat(['……', '。”', '？’', '！”']);
const EN_PUNCT = ', . ! ? ; : \' " ( ) [ ] { } - _ / \\ @ # $ % & * + = < > | ~ ^ `'.split(' ').concat(['...', '......', '&amp;', '&lt;', '&quot;']);
const EMOJI = ['😀', '🎉', '👍🏻', '❤️', '🇨🇳', '🤖', '✨', '🚀'];
const SPACES = [' ', ' ', ' ', '\n', '\t', '\r\n', '\u3000', '\u00a0', '\u0085', '\u001c', '\n\n'];
const SYMBOLS = ['→', '±', '€', '°C', '©', '№', 'Ｗｈｅｔｓｔｏｎｅ', '１２３', 'ＡＢＣ', '<skipped>', '-\n', '\u2014'];

function pick<T>(rnd: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

function number(rnd: Rng): string {
  const r = rnd();
  if (r < 0.3) return String(Math.floor(rnd() * 1000));
  if (r < 0.5) return (rnd() * 100).toFixed(2);
  if (r < 0.65) return `${Math.floor(rnd() * 100)}%`;
  if (r < 0.75) return `${(rnd() * 10).toFixed(1)}%`;
  if (r < 0.85) return `v${Math.floor(rnd() * 5)}.${Math.floor(rnd() * 20)}.${Math.floor(rnd() * 9)}`;
  if (r < 0.93) return `${2000 + Math.floor(rnd() * 30)}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 10)}`;
  return `${Math.floor(rnd() * 10)},${Math.floor(rnd() * 900) + 100}`;
}

/** A text as units; English units get spaces between them when joined. */
function units(rnd: Rng, kind: Kind, length: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < length; i++) {
    const r = rnd();
    const zh = kind === 'zh' || (kind === 'mixed' && rnd() < 0.6);
    if (r < 0.62) out.push(zh ? (rnd() < 0.05 ? pick(rnd, ZH_RARE) + pick(rnd, ZH_RARE) : pick(rnd, ZH_WORDS)) : pick(rnd, EN_WORDS));
    else if (r < 0.78) out.push(zh ? pick(rnd, ZH_PUNCT) : pick(rnd, EN_PUNCT));
    else if (r < 0.86) out.push(number(rnd));
    else if (r < 0.9) out.push(pick(rnd, EMOJI));
    else if (r < 0.96) out.push(pick(rnd, SPACES));
    else out.push(pick(rnd, SYMBOLS));
  }
  return out;
}

function join(rnd: Rng, parts: string[]): string {
  let s = '';
  for (const p of parts) {
    const latin = /^[A-Za-z0-9]/.test(p);
    s += s && latin && rnd() < 0.85 ? ` ${p}` : p;
  }
  return s;
}

function perturb(rnd: Rng, parts: string[], kind: Kind): string[] {
  const out = parts.slice();
  const edits = 1 + Math.floor(rnd() * Math.max(1, out.length / 3));
  for (let e = 0; e < edits && out.length > 0; e++) {
    const i = Math.floor(rnd() * out.length);
    const r = rnd();
    if (r < 0.3) out.splice(i, 1);
    else if (r < 0.55) out[i] = units(rnd, kind, 1)[0];
    else if (r < 0.8) out.splice(i, 0, ...units(rnd, kind, 1 + Math.floor(rnd() * 2)));
    else if (i + 1 < out.length) [out[i], out[i + 1]] = [out[i + 1], out[i]];
  }
  return out;
}

function cosmetic(rnd: Rng, text: string): string {
  const r = rnd();
  if (r < 0.3) return text.toUpperCase();
  if (r < 0.6) return `${text}${pick(rnd, ['。', '.', '!', '！', ' ', '？'])}`;
  return ` ${text.replace(/[，,]/g, '')} `;
}

function punctuationOnly(rnd: Rng): string {
  const n = 1 + Math.floor(rnd() * 6);
  let s = '';
  for (let i = 0; i < n; i++) s += rnd() < 0.5 ? pick(rnd, ZH_PUNCT) : pick(rnd, EN_PUNCT);
  return s;
}

function makePair(rnd: Rng): ScorePair {
  const kind: Kind = pick(rnd, ['zh', 'zh', 'en', 'mixed', 'mixed'] as const);
  const ref = units(rnd, kind, 1 + Math.floor(rnd() * (rnd() < 0.8 ? 25 : 90)));
  const reference = join(rnd, ref);
  const r = rnd();
  if (r < 0.04) return { prediction: '', reference };
  if (r < 0.07) return { prediction: reference, reference: '' };
  if (r < 0.08) return { prediction: '', reference: '' };
  if (r < 0.12) return { prediction: punctuationOnly(rnd), reference: rnd() < 0.5 ? reference : punctuationOnly(rnd) };
  if (r < 0.15) return { prediction: reference, reference: punctuationOnly(rnd) };
  if (r < 0.18) return { prediction: pick(rnd, SPACES) + pick(rnd, SPACES), reference: rnd() < 0.5 ? reference : pick(rnd, SPACES) };
  if (r < 0.26) return { prediction: reference, reference };
  if (r < 0.34) return { prediction: cosmetic(rnd, reference), reference };
  if (r < 0.4) {
    const labels = ['正面', '负面', 'Positive', 'negative', 'A', 'B', '是', '否'];
    return { prediction: pick(rnd, labels) + (rnd() < 0.3 ? '。' : ''), reference: pick(rnd, labels) };
  }
  if (r < 0.85) return { prediction: join(rnd, perturb(rnd, ref, kind)), reference };
  return { prediction: join(rnd, units(rnd, kind, 1 + Math.floor(rnd() * 30))), reference };
}

/**
 * The judge's prompts: MT-Bench's single-answer and pairwise prompts (FastChat's
 * judge_prompts.jsonl: single-v1 and pair-v2 for helpfulness, single-math-v1 and pair-math-v1,
 * which show a reference answer, for correctness), each in English and Chinese. The user's own
 * rubric is the whole instruction, followed by one short sentence asking for the verdict format
 * (it also fits small judges' contexts). The format is always the same ("Rating: [[5]]";
 * "[[A]]", "[[B]]", "[[C]]"), so one parser reads every rubric.
 */
export type JudgeLanguage = 'en' | 'zh';
export type Rubric = 'helpfulness' | 'correctness' | { name: string; text: string; reference?: boolean };

export interface Turn {
  role: string;
  content: string;
}

export interface JudgeMessage {
  role: 'system' | 'user';
  content: string;
}

const CRITERIA: Record<JudgeLanguage, Record<'helpfulness' | 'correctness', string>> = {
  en: {
    helpfulness: 'Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response.',
    correctness:
      "Your evaluation should consider correctness and helpfulness. You will be given a reference answer. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes.",
  },
  zh: {
    helpfulness: '你的评价应考虑回答的有用性、相关性、准确性、深度、创造性和详细程度等因素。',
    correctness: '你的评价应考虑正确性和有用性。你将看到一个参考答案。请先将助手的回答与参考答案进行比较，找出并纠正其中的错误。',
  },
};

const TEXT = {
  en: {
    singleIntro: 'Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below.',
    singleFormat:
      'Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".',
    pairIntro:
      "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. You should choose the assistant that follows the user's instructions and answers the user's question better.",
    pairFormat:
      'Begin your evaluation by comparing the two responses and provide a short explanation. Avoid any position biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: "[[A]]" if assistant A is better, "[[B]]" if assistant B is better, and "[[C]]" for a tie.',
    ownSingleFormat: 'After a short explanation, rate the answer from 1 to 10 in exactly this format: "Rating: [[5]]".',
    ownPairFormat: 'After a short explanation, give your verdict in exactly this format: "[[A]]" if assistant A is better, "[[B]]" if assistant B is better, "[[C]]" for a tie.',
    question: '[Question]',
    conversation: '[Conversation]',
    reference: ['[The Start of Reference Answer]', '[The End of Reference Answer]'],
    answer: ["[The Start of Assistant's Answer]", "[The End of Assistant's Answer]"],
    answerA: ["[The Start of Assistant A's Answer]", "[The End of Assistant A's Answer]"],
    answerB: ["[The Start of Assistant B's Answer]", "[The End of Assistant B's Answer]"],
    roles: { system: 'System', user: 'User', assistant: 'Assistant' } as Record<string, string>,
  },
  zh: {
    singleIntro: '请作为一名公正的评审，评价下面 AI 助手对用户问题所给回答的质量。',
    singleFormat: '请先给出简短的解释，尽可能客观。给出解释后，你必须严格按照以下格式在 1 到 10 分之间为回答打分："[[分数]]"，例如："评分：[[5]]"。',
    pairIntro: '请作为一名公正的评审，评价下面两个 AI 助手对用户问题所给回答的质量。你应当选出更好地遵循用户指令、更好地回答用户问题的助手。',
    pairFormat:
      '请先比较两个回答并给出简短的解释。避免任何位置偏差，确保回答的呈现顺序不影响你的判断。不要让回答的长度影响你的评价。不要偏向助手的名字。尽可能客观。给出解释后，严格按照以下格式输出最终裁决：助手 A 更好输出"[[A]]"，助手 B 更好输出"[[B]]"，平局输出"[[C]]"。',
    ownSingleFormat: '先简短解释，再严格按此格式给出 1 到 10 分："评分：[[5]]"。',
    ownPairFormat: '先简短解释，再严格按此格式给出裁决：助手 A 更好输出"[[A]]"，助手 B 更好输出"[[B]]"，平局输出"[[C]]"。',
    question: '[问题]',
    conversation: '[对话]',
    reference: ['[参考答案开始]', '[参考答案结束]'],
    answer: ['[助手回答开始]', '[助手回答结束]'],
    answerA: ['[助手 A 回答开始]', '[助手 A 回答结束]'],
    answerB: ['[助手 B 回答开始]', '[助手 B 回答结束]'],
    roles: { system: '系统', user: '用户', assistant: '助手' } as Record<string, string>,
  },
};

/** The rubric's name as results show it. */
export const rubricName = (rubric: Rubric) => (typeof rubric === 'string' ? rubric : rubric.name);

/** MT-Bench's instruction with the built-in rubric's criteria, or the user's rubric and a short format sentence. */
function instruction(rubric: Rubric, lang: JudgeLanguage, mode: 'single' | 'pair'): string {
  const t = TEXT[lang];
  if (typeof rubric !== 'string') return `${rubric.text.trim()}\n\n${mode === 'single' ? t.ownSingleFormat : t.ownPairFormat}`;
  return mode === 'single' ? [t.singleIntro, CRITERIA[lang][rubric], t.singleFormat].join(' ') : [t.pairIntro, CRITERIA[lang][rubric], t.pairFormat].join(' ');
}
const showsReference = (rubric: Rubric) => (typeof rubric === 'string' ? rubric === 'correctness' : rubric.reference === true);

/** The prompt as one question, or the whole conversation when it has earlier turns. */
function renderPrompt(prompt: Turn[], lang: JudgeLanguage): string {
  const t = TEXT[lang];
  if (prompt.length === 1) return `${t.question}\n${prompt[0].content}`;
  return `${t.conversation}\n${prompt.map((m) => `${t.roles[m.role] ?? m.role}: ${m.content}`).join('\n\n')}`;
}

const block = ([start, end]: string[], text: string) => `${start}\n${text}\n${end}`;

/** Single-answer grading: one answer, a 1-10 rating. */
export function singleJudgePrompt(p: { rubric: Rubric; language: JudgeLanguage; prompt: Turn[]; reference: string; answer: string }): JudgeMessage[] {
  const t = TEXT[p.language];
  const parts = [renderPrompt(p.prompt, p.language)];
  if (showsReference(p.rubric)) parts.push(block(t.reference, p.reference));
  parts.push(block(t.answer, p.answer));
  return [
    { role: 'system', content: instruction(p.rubric, p.language, 'single') },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/** Pairwise comparison: `answerA` is shown as assistant A, `answerB` as assistant B. */
export function pairJudgePrompt(p: { rubric: Rubric; language: JudgeLanguage; prompt: Turn[]; reference: string; answerA: string; answerB: string }): JudgeMessage[] {
  const t = TEXT[p.language];
  const parts = [renderPrompt(p.prompt, p.language)];
  if (showsReference(p.rubric)) parts.push(block(t.reference, p.reference));
  parts.push(block(t.answerA, p.answerA), block(t.answerB, p.answerB));
  return [
    { role: 'system', content: instruction(p.rubric, p.language, 'pair') },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/** The strings a constrained judge may answer (decoding restricted to them). */
export const SCORE_VERDICTS: Record<JudgeLanguage, string[]> = {
  en: Array.from({ length: 10 }, (_, i) => `Rating: [[${i + 1}]]`),
  zh: Array.from({ length: 10 }, (_, i) => `评分：[[${i + 1}]]`),
};
export const PAIR_VERDICTS = ['[[A]]', '[[B]]', '[[C]]'];

/** Chinese when more than half of the texts hold Han characters, else English. */
export function detectLanguage(texts: readonly string[]): JudgeLanguage {
  const han = texts.filter((t) => /\p{Script=Han}/u.test(t)).length;
  return texts.length > 0 && han * 2 > texts.length ? 'zh' : 'en';
}

import { pySplit } from '../python/py-whitespace.ts';

// sacrebleu/tokenizers/tokenizer_re.py, the ASCII classes written out with \x escapes:
// [\{-\~\[-\` -\&\(-\+\:-\@\/] is { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ /
const SYMBOLS = /([\x7B-\x7E\x5B-\x60\x20-\x26\x28-\x2B\x3A-\x40\x2F])/gu;
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/gu;
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/gu;
const DASH_AFTER_DIGIT = /([0-9])(-)/gu;

/** sacrebleu's TokenizerRegexp, the mteval-v13a rules shared by the 13a and zh tokenizers. */
export function tokenizeRegexp(line: string): string {
  const out = line
    .replace(SYMBOLS, ' $1 ')
    .replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ')
    .replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2')
    .replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return pySplit(out).join(' ');
}

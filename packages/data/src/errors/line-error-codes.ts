/**
 * Stable codes of line-level problems. The API, the UI and the CLI key on these strings;
 * add new ones, never rename.
 */
export const LINE_ERROR_CODES = [
  'invalid_json',
  'invalid_utf8',
  'invalid_csv',
  'line_too_long',
  'too_deep',
  'missing_field',
  'empty_field',
  'wrong_type',
  'unknown_role',
  'no_assistant_turn',
  'role_order',
  'mixed_formats',
  'invalid_value',
] as const;
export type LineErrorCode = (typeof LINE_ERROR_CODES)[number];

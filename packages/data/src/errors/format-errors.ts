import type { FormatName, LineError } from '../types.ts';

/** A row whose shape belongs to another format than the rest of the file. */
export function mixedFormats(line: number, fileFormat: FormatName, rowFormat: FormatName, field: string): LineError {
  return {
    line,
    field,
    code: 'mixed_formats',
    message: `This row is ${rowFormat} (it has "${field}") but the file is ${fileFormat}. Convert it to ${fileFormat}, or upload ${rowFormat} rows as a separate dataset.`,
  };
}

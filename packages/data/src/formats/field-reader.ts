import type { LineError } from '../types.ts';
import { emptyField, missingField, wrongType } from '../errors/field-errors.ts';
import { tooDeep } from '../errors/syntax-errors.ts';
import { exceedsDepth, MAX_VALUE_DEPTH } from '../containers/json-depth.ts';

/**
 * Reads the fields of one row and records what is wrong with them, naming the field by its
 * path (`conversations[2].value`). CSV cells are strings, so structured fields arrive as JSON
 * text and are parsed here.
 */
export class FieldReader {
  readonly errors: LineError[] = [];

  constructor(
    readonly line: number,
    private readonly stringCells = false,
  ) {}

  has(obj: Record<string, unknown>, key: string): boolean {
    const v = obj[key];
    return v !== undefined && v !== null && !(this.stringCells && v === '');
  }

  /** A required non-empty string. */
  text(obj: Record<string, unknown>, key: string, path: string, what: string): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null || (this.stringCells && v === '')) {
      if (this.stringCells && v === '') this.errors.push(emptyField(this.line, path, what));
      else this.errors.push(missingField(this.line, path, what));
      return undefined;
    }
    if (typeof v !== 'string') {
      this.errors.push(wrongType(this.line, path, 'a string', v));
      return undefined;
    }
    if (v.trim() === '') {
      this.errors.push(emptyField(this.line, path, what));
      return undefined;
    }
    return v;
  }

  /** An optional string (absent, null and "" all mean none). */
  optionalText(obj: Record<string, unknown>, key: string, path: string): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'number' && this.stringCells) return String(v);
    if (typeof v !== 'string') {
      this.errors.push(wrongType(this.line, path, 'a string', v));
      return undefined;
    }
    return v;
  }

  /** A required non-empty array (a JSON array in a CSV cell). */
  array(obj: Record<string, unknown>, key: string, path: string, what: string): unknown[] | undefined {
    const v = this.structured(obj[key]);
    if (v === undefined || v === null || v === '') {
      this.errors.push(missingField(this.line, path, what));
      return undefined;
    }
    if (!Array.isArray(v)) {
      this.errors.push(wrongType(this.line, path, 'an array', v));
      return undefined;
    }
    if (v.length === 0) {
      this.errors.push(emptyField(this.line, path, what));
      return undefined;
    }
    return v;
  }

  /** An optional array. */
  optionalArray(obj: Record<string, unknown>, key: string, path: string): unknown[] | undefined {
    const v = this.structured(obj[key]);
    if (v === undefined || v === null || v === '') return undefined;
    if (!Array.isArray(v)) {
      this.errors.push(wrongType(this.line, path, 'an array', v));
      return undefined;
    }
    return v;
  }

  /** An object (e.g. one turn); returns undefined and records the error otherwise. */
  object(v: unknown, path: string): Record<string, unknown> | undefined {
    const s = this.structured(v);
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      this.errors.push(wrongType(this.line, path, 'an object', s));
      return undefined;
    }
    return s as Record<string, unknown>;
  }

  /** A value kept as it is (tool calls, tool schemas): refused when nested absurdly deep. */
  kept(v: unknown, path: string): unknown {
    const s = this.structured(v);
    if (exceedsDepth(s, MAX_VALUE_DEPTH)) {
      this.errors.push(tooDeep(this.line, path, MAX_VALUE_DEPTH));
      return undefined;
    }
    return s;
  }

  fail(e: LineError): void {
    this.errors.push(e);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  private structured(v: unknown): unknown {
    if (this.stringCells && typeof v === 'string') {
      const t = v.trimStart();
      if (t.startsWith('[') || t.startsWith('{')) {
        try {
          return JSON.parse(v);
        } catch {
          return v;
        }
      }
    }
    return v;
  }
}

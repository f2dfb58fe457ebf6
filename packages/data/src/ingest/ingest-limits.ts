/** Size limits of an upload; each can be overridden per call. */
export interface IngestLimits {
  /** Largest file accepted (WHET_MAX_UPLOAD_MB, default 2048 MB). */
  maxBytes: number;
  /** Longest line (one sample) accepted: 16 MB. */
  maxLineBytes: number;
  /** Most data a Parquet file may inflate to: 4 GB, or 4x maxBytes when that is more. */
  maxDecompressedBytes: number;
  /** Largest Parquet row group, read into memory at once: 512 MB. */
  maxRowGroupBytes: number;
}

const MB = 1 << 20;

export function defaultLimits(env: NodeJS.ProcessEnv = process.env): IngestLimits {
  const fromEnv = Number(env.WHET_MAX_UPLOAD_MB);
  const maxBytes = Number.isFinite(fromEnv) && fromEnv > 0 ? Math.floor(fromEnv * MB) : 2048 * MB;
  return { maxBytes, maxLineBytes: 16 * MB, maxDecompressedBytes: Math.max(4096 * MB, 4 * maxBytes), maxRowGroupBytes: 512 * MB };
}

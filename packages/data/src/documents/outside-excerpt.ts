/**
 * What an error may quote of an outside host's answer: at most `max` characters, control
 * characters and runs of whitespace folded to one space, and every secret we sent (the
 * connection's key) redacted, so a hostile or echoing endpoint cannot plant text in our logs
 * and answers, nor read a key back through them.
 */
export function outsideExcerpt(text: string, secrets: (string | undefined)[] = [], max = 200): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  // eslint-disable-next-line no-control-regex
  out = out.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

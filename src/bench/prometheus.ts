const SPACE = 32;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const QUOTE = 34;
const BACKSLASH = 92;

/** Index just after the label set that opens at `at` (`{...}`), honouring quoted values; -1 when unterminated. */
function labelsEnd(line: string, at: number): number {
  let quoted = false;
  for (let i = at + 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quoted) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) quoted = false;
    } else if (c === QUOTE) quoted = true;
    else if (c === CLOSE_BRACE) return i + 1;
  }
  return -1;
}

/** The value of one sample line of metric `name`, or undefined when the line is another metric or malformed. */
function sampleValue(line: string, name: string): number | undefined {
  if (!line.startsWith(name)) return undefined;
  let i = name.length;
  const next = line.charCodeAt(i);
  if (next === OPEN_BRACE) {
    i = labelsEnd(line, i);
    if (i < 0) return undefined;
  } else if (next !== SPACE) {
    // A longer name with this one as its prefix (`x_total` vs `x_total_created`).
    return undefined;
  }
  // The value is the first token after the labels; an optional timestamp may follow.
  const token = line.slice(i).trim().split(' ', 1)[0];
  const value = Number(token);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The sum of every sample of metric `name` in Prometheus text exposition
 * format, over all label sets; 0 when the metric is absent (a labelled
 * counter that never moved has no samples). Histogram series (`_bucket`,
 * `_sum`, `_count`) are other names and not included.
 */
export function sumMetric(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) total += sampleValue(line, name) ?? 0;
  return total;
}

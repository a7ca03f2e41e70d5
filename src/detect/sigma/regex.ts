/**
 * Regular expressions of the `re` modifier. JavaScript regexes cannot be
 * interrupted, so a pattern that can backtrack exponentially would stall the
 * detection thread on one crafted event. Such patterns are rejected at load
 * time: a quantified group whose body can itself repeat without bound
 * (`(a+)+`, `(a*)*`, `(\w+\s?)*`, `(?:x|y+){2,}`) is refused with a reason.
 * Alternation overlap inside a starred group (`(a|a)*`) is not detected; its
 * cost is polynomial in the group's width, not exponential in the input.
 */

export const MAX_REGEX_LENGTH = 4096;

export function compileSigmaRegex(source: string, flags: string): RegExp | string {
  if (source.length > MAX_REGEX_LENGTH) return `regular expression longer than ${MAX_REGEX_LENGTH} characters`;
  let body = source;
  // PCRE's leading inline flags, used in SigmaHQ rules; JavaScript (Node 20) has no inline flags.
  const inline = /^\(\?([imsx]+)\)/.exec(body);
  if (inline) {
    if (inline[1].includes('x')) return 'inline flag (?x) is not supported';
    for (const f of inline[1]) if (!flags.includes(f)) flags += f;
    body = body.slice(inline[0].length);
  }
  const risk = nestedQuantifier(body);
  if (risk) return `regular expression risks catastrophic backtracking (nested quantifier at ${risk})`;
  try {
    return new RegExp(body, flags);
  } catch (err) {
    return `invalid regular expression: ${(err as Error).message}`;
  }
}

/** Returns the offending group's text when a quantified group contains an unbounded quantifier. */
function nestedQuantifier(re: string): string | undefined {
  // One frame per open group: where it starts and whether its body repeats without bound.
  const stack: { start: number; unbounded: boolean }[] = [];
  let lastGroup: { start: number; unbounded: boolean } | undefined;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i++;
      lastGroup = undefined;
      continue;
    }
    if (c === '[') {
      i = skipClass(re, i);
      lastGroup = undefined;
      continue;
    }
    if (c === '(') {
      stack.push({ start: i, unbounded: false });
      lastGroup = undefined;
      continue;
    }
    if (c === ')') {
      lastGroup = stack.pop();
      continue;
    }
    const unbounded = isUnboundedQuantifier(re, i);
    if (unbounded || c === '?' || c === '{') {
      if (lastGroup && unbounded && lastGroup.unbounded) return re.slice(lastGroup.start, i + 1);
      if (unbounded || lastGroup?.unbounded) {
        // The repeated item (a group or an atom) makes every enclosing group unbounded.
        for (const frame of stack) frame.unbounded = true;
      }
      lastGroup = undefined;
      continue;
    }
    lastGroup = undefined;
  }
  return undefined;
}

function isUnboundedQuantifier(re: string, i: number): boolean {
  const c = re[i];
  if (c === '*' || c === '+') return true;
  if (c !== '{') return false;
  return /^\{\d*,\}/.test(re.slice(i, i + 16));
}

function skipClass(re: string, i: number): number {
  for (let j = i + 1; j < re.length; j++) {
    if (re[j] === '\\') j++;
    else if (re[j] === ']' && j > i + 1) return j;
  }
  return re.length;
}

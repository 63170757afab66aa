/**
 * Finds where and why a JSON text is invalid. Used only after JSON.parse has refused a text, to give a
 * precise position and a reason that does not echo the input. Iterative, so deep nesting cannot
 * overflow the stack.
 */
export interface JsonProblem {
  /** UTF-16 index in the text. */
  index: number;
  reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function findJsonError(text: string): JsonProblem | null {
  let i = 0;
  const n = text.length;
  // Each entry: '{' expecting key, ':' expecting colon, 'v' expecting value in object, ',' after member...
  const stack: Array<'{' | '['> = [];
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const problemAt = (what: string): JsonProblem =>
    i >= n
      ? { index: n, reason: `unexpected end of input (${what})` }
      : { index: i, reason: `unexpected character ${JSON.stringify(text[i])} (${what})` };
  const str = (): JsonProblem | null => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c < 32) return { index: i, reason: 'control character inside a string' };
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            return { index: i, reason: 'bad \\u escape in a string' };
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return { index: i, reason: 'bad escape in a string' };
        i += 2;
        continue;
      }
      i++;
    }
    return { index: n, reason: 'unterminated string' };
  };
  const value = (): JsonProblem | 'open' | null => {
    ws();
    const c = text[i];
    if (c === '"') return str();
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      return 'open';
    }
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return null;
      }
    }
    NUMBER.lastIndex = i;
    if (c !== undefined && NUMBER.exec(text)) {
      i = NUMBER.lastIndex;
      return null;
    }
    return problemAt('expected a value');
  };
  // After opening a container, we are at its first member (or its close).
  let first = true;
  let r = value();
  if (r !== null && r !== 'open') return r;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    ws();
    const close = top === '{' ? '}' : ']';
    if (first && text[i] === close) {
      i++;
      stack.pop();
      first = false;
      continue;
    }
    if (!first) {
      if (text[i] === close) {
        i++;
        stack.pop();
        continue;
      }
      if (text[i] !== ',') return problemAt(`expected ',' or '${close}'`);
      i++;
      ws();
    }
    if (top === '{') {
      if (text[i] !== '"') return problemAt('expected a property name in double quotes');
      const bad = str();
      if (bad) return bad;
      ws();
      if (text[i] !== ':') return problemAt("expected ':' after a property name");
      i++;
    }
    r = value();
    if (r !== null && r !== 'open') return r;
    first = r === 'open';
  }
  ws();
  if (i < n) return { index: i, reason: 'unexpected content after the JSON value' };
  return null;
}

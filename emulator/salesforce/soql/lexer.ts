import { parseDatetime, isDate } from "../values.ts";
import { malformed } from "./errors.ts";

/** Tokens of SOQL text; identifiers keep their dots (Account.Name) and keywords are matched case-insensitively later. */
export type TokenType = "ident" | "string" | "number" | "date" | "datetime" | "op" | "punct" | "eof";

export interface Token {
  type: TokenType;
  text: string;
  /** Unescaped string, parsed number, date text or datetime milliseconds. */
  value?: string | number;
  column: number;
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", '"': '"', "'": "'", "\\": "\\" };

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    const column = i + 1;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw malformed(text, column, `line 1:${i} mismatched character '<EOF>' expecting '''`);
        const ch = text.charAt(j);
        if (ch === "\\") {
          const next = text.charAt(j + 1);
          // LIKE keeps \_ and \% escaped so that they match literally.
          if (next === "_" || next === "%") value += `\\${next}`;
          else if (ESCAPES[next] !== undefined) value += ESCAPES[next];
          else throw malformed(text, j + 1, "Invalid string literal '" + text.slice(i, j + 2) + "'. Illegal character sequence '\\" + next + "' in string literal.");
          j += 2;
          continue;
        }
        if (ch === "'") break;
        value += ch;
        j++;
      }
      out.push({ type: "string", text: text.slice(i, j + 1), value, column });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    const temporal = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2}))?/.exec(rest);
    if (temporal) {
      const t = temporal[0];
      if (temporal[1] !== undefined) {
        const ms = parseDatetime(t);
        if (ms === undefined) throw malformed(text, column, `unexpected token: '${t}'`);
        out.push({ type: "datetime", text: t, value: ms, column });
      } else {
        if (!isDate(t)) throw malformed(text, column, `unexpected token: '${t}'`);
        out.push({ type: "date", text: t, value: t, column });
      }
      i += t.length;
      continue;
    }
    const num = /^[+-]?\d+(\.\d+)?/.exec(rest);
    if (num && (c !== "+" && c !== "-" ? true : /^[+-]\d/.test(rest))) {
      out.push({ type: "number", text: num[0], value: Number(num[0]), column });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest);
    if (ident) {
      out.push({ type: "ident", text: ident[0], column });
      i += ident[0].length;
      continue;
    }
    const op = /^(!=|<>|<=|>=|=|<|>)/.exec(rest);
    if (op) {
      out.push({ type: "op", text: op[0] === "<>" ? "!=" : op[0], column });
      i += op[0].length;
      continue;
    }
    if (c === "(" || c === ")" || c === ",") {
      out.push({ type: "punct", text: c, column });
      i++;
      continue;
    }
    throw malformed(text, column, `unexpected token: '${c}'`);
  }
  out.push({ type: "eof", text: "<EOF>", column: text.length + 1 });
  return out;
}

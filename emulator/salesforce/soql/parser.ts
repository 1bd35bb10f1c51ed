import type { CompareOp, Condition, FieldRef, Literal, OrderItem, SelectItem, SoqlQuery } from "./ast.ts";
import { malformed } from "./errors.ts";
import { tokenize, type Token } from "./lexer.ts";

/** A recursive-descent parser for the SOQL subset (see docs/emulator.md, Salesforce section). */
class Parser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === "ident" && t.text.toUpperCase() === word;
  }

  private unexpected(t: Token = this.peek()): never {
    throw malformed(this.text, t.column, t.type === "eof" ? "unexpected token: <EOF>" : `unexpected token: '${t.text}'`);
  }

  private expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) this.unexpected();
    return this.next();
  }

  private expectPunct(p: string): void {
    const t = this.peek();
    if (t.type !== "punct" || t.text !== p) this.unexpected();
    this.next();
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.type === "punct" && t.text === p;
  }

  private fieldRef(): FieldRef {
    const t = this.peek();
    if (t.type !== "ident" || RESERVED.has(t.text.toUpperCase())) this.unexpected();
    this.next();
    return { path: t.text.split("."), column: t.column };
  }

  query(nested: boolean): SoqlQuery {
    this.expectKeyword("SELECT");
    const select: SelectItem[] = [];
    do {
      if (select.length > 0) this.next();
      select.push(this.selectItem(nested));
    } while (this.isPunct(","));
    this.expectKeyword("FROM");
    const fromTok = this.peek();
    if (fromTok.type !== "ident" || RESERVED.has(fromTok.text.toUpperCase())) this.unexpected();
    this.next();
    const q: SoqlQuery = { select, from: fromTok.text, fromColumn: fromTok.column, orderBy: [] };
    if (this.isKeyword("WHERE")) {
      this.next();
      q.where = this.condition();
    }
    if (this.isKeyword("ORDER")) {
      this.next();
      this.expectKeyword("BY");
      do {
        if (q.orderBy.length > 0) this.next();
        q.orderBy.push(this.orderItem());
      } while (this.isPunct(","));
    }
    if (this.isKeyword("LIMIT")) {
      this.next();
      q.limit = this.nonNegativeInt();
    }
    if (this.isKeyword("OFFSET")) {
      this.next();
      q.offset = this.nonNegativeInt();
    }
    if (nested ? !this.isPunct(")") : this.peek().type !== "eof") this.unexpected();
    return q;
  }

  private nonNegativeInt(): number {
    const t = this.peek();
    if (t.type !== "number" || !Number.isInteger(t.value) || (t.value as number) < 0) this.unexpected();
    this.next();
    return t.value as number;
  }

  private selectItem(nested: boolean): SelectItem {
    if (this.isPunct("(")) {
      if (nested) this.unexpected();
      this.next();
      const query = this.query(true);
      this.expectPunct(")");
      return { kind: "subquery", query };
    }
    if (this.isKeyword("COUNT") && this.peek(1).type === "punct" && this.peek(1).text === "(") {
      const column = this.next().column;
      this.next();
      if (this.isPunct(")")) {
        this.next();
        return { kind: "count", column };
      }
      const ref = this.fieldRef();
      this.expectPunct(")");
      return { kind: "count", ref, column };
    }
    return { kind: "field", ref: this.fieldRef() };
  }

  private orderItem(): OrderItem {
    const field = this.fieldRef();
    let descending = false;
    if (this.isKeyword("ASC")) this.next();
    else if (this.isKeyword("DESC")) {
      this.next();
      descending = true;
    }
    let nullsLast = descending;
    if (this.isKeyword("NULLS")) {
      this.next();
      if (this.isKeyword("FIRST")) nullsLast = false;
      else if (this.isKeyword("LAST")) nullsLast = true;
      else this.unexpected();
      this.next();
    }
    return { field, descending, nullsLast };
  }

  /** SOQL refuses AND and OR side by side without parentheses, so each level is one or the other. */
  private condition(): Condition {
    const first = this.unary();
    if (!this.isKeyword("AND") && !this.isKeyword("OR")) return first;
    const joiner = this.peek().text.toUpperCase();
    const items = [first];
    while (this.isKeyword("AND") || this.isKeyword("OR")) {
      if (this.peek().text.toUpperCase() !== joiner) this.unexpected();
      this.next();
      items.push(this.unary());
    }
    return joiner === "AND" ? { kind: "and", items } : { kind: "or", items };
  }

  private unary(): Condition {
    if (this.isKeyword("NOT")) {
      this.next();
      return { kind: "not", item: this.unary() };
    }
    if (this.isPunct("(")) {
      this.next();
      const c = this.condition();
      this.expectPunct(")");
      return c;
    }
    const field = this.fieldRef();
    if (this.isKeyword("LIKE")) {
      this.next();
      return { kind: "like", field, pattern: this.literal() };
    }
    if (this.isKeyword("IN") || (this.isKeyword("NOT") && this.isKeyword("IN", 1))) {
      const negated = this.isKeyword("NOT");
      if (negated) this.next();
      this.next();
      this.expectPunct("(");
      const values: Literal[] = [];
      do {
        if (values.length > 0) this.next();
        values.push(this.literal());
      } while (this.isPunct(","));
      this.expectPunct(")");
      return { kind: "in", field, negated, values };
    }
    const op = this.peek();
    if (op.type !== "op") this.unexpected();
    this.next();
    return { kind: "compare", field, op: op.text as CompareOp, value: this.literal() };
  }

  private literal(): Literal {
    const t = this.next();
    const column = t.column;
    switch (t.type) {
      case "string":
        return { kind: "string", value: t.value as string, column };
      case "number":
        return { kind: "number", value: t.value as number, column };
      case "date":
        return { kind: "date", value: t.value as string, column };
      case "datetime":
        return { kind: "datetime", value: t.value as number, column };
      case "ident": {
        const word = t.text.toUpperCase();
        if (word === "NULL") return { kind: "null", column };
        if (word === "TRUE" || word === "FALSE") return { kind: "boolean", value: word === "TRUE", column };
        return this.unexpected(t);
      }
      default:
        return this.unexpected(t);
    }
  }
}

const RESERVED = new Set(["SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "ORDER", "BY", "LIMIT", "OFFSET", "NULL", "TRUE", "FALSE", "ASC", "DESC", "NULLS"]);

export function parseSoql(text: string): SoqlQuery {
  return new Parser(text, tokenize(text)).query(false);
}

/** A bare condition (list-view filters, validation rules): the text after WHERE. */
export function parseCondition(text: string): Condition {
  const q = parseSoql(`SELECT Id FROM X WHERE ${text}`);
  if (!q.where) throw malformed(text, 1, "unexpected token: <EOF>");
  return q.where;
}

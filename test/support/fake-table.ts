/**
 * A small in-memory stand-in for the DynamoDB table, for unit tests of storage logic (binding limits, codes, the
 * database half of payment-file checks) that mutation testing must judge without DynamoDB Local (docs/mutation.md).
 * It replaces `send` of the document client and speaks the few operations and expression forms those modules use —
 * Get, Put, Update (SET with + and -, REMOVE), BatchGet, Query (`k = :v`, `AND begins_with(k, :p)`) and conditions
 * (attribute_exists / attribute_not_exists, = <> < <= > >=, AND, OR) — with DynamoDB's rules: a failed condition
 * throws ConditionalCheckFailedException, an expression it cannot read or a name or value declared but unused throws
 * ValidationException, expired items stay until read (as on DynamoDB Local, the code must treat them as absent), and
 * a Get without ConsistentRead may be stale: it returns the item as it was before its last write through `send`.
 * Anything else throws, so a test never passes by accident against a fake that ignored a request.
 */
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { vi } from "vitest";

type Item = Record<string, unknown>;
type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;

export class FakeTableError extends Error {
  constructor(
    override readonly name: "ConditionalCheckFailedException" | "ValidationException",
    message: string,
  ) {
    super(message);
  }
}
const invalid = (message: string) => new FakeTableError("ValidationException", message);

const keyOf = (k: Item) => `${String(k.pk)}|${String(k.sk)}`;

function operand(token: string, item: Item | undefined, names: Names, values: Values, used: Set<string>): unknown {
  const t = token.trim();
  if (t.startsWith(":")) {
    if (!values || !(t in values)) throw invalid(`value ${t} is not defined`);
    used.add(t);
    return values[t];
  }
  return item?.[attribute(t, names, used)];
}

function attribute(token: string, names: Names, used: Set<string>): string {
  const t = token.trim();
  if (t.startsWith("#")) {
    if (!names || !(t in names)) throw invalid(`name ${t} is not defined`);
    used.add(t);
    return names[t]!;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t)) throw invalid(`cannot read the attribute "${t}"`);
  return t;
}

function compare(a: unknown, op: string, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  if (op === "=") return a === b;
  if (op === "<>") return a !== b;
  if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string"))
    throw invalid("comparing values of different types");
  const x = a as number | string;
  const y = b as number | string;
  return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
}

function condition(expr: string, item: Item | undefined, names: Names, values: Values, used: Set<string>): boolean {
  if (!expr.trim()) throw invalid("empty condition expression");
  return expr.split(/\s+OR\s+/).some((alt) =>
    alt.split(/\s+AND\s+/).every((term) => {
      const t = term.trim();
      const fn = /^(attribute_exists|attribute_not_exists)\(\s*([^)]+?)\s*\)$/.exec(t);
      if (fn) {
        const present = item !== undefined && item[attribute(fn[2]!, names, used)] !== undefined;
        return fn[1] === "attribute_exists" ? present : !present;
      }
      const cmp = /^(\S+)\s*(<>|<=|>=|=|<|>)\s*(\S+)$/.exec(t);
      if (!cmp) throw invalid(`cannot read the condition "${t}"`);
      return compare(operand(cmp[1]!, item, names, values, used), cmp[2]!, operand(cmp[3]!, item, names, values, used));
    }),
  );
}

function update(expr: string, item: Item, names: Names, values: Values, used: Set<string>): string[] {
  const sections = [...expr.matchAll(/\b(SET|REMOVE)\s+([\s\S]*?)(?=\s+\b(?:SET|REMOVE)\b|$)/g)];
  if (!/^(SET|REMOVE)\s/.test(expr.trim()) || sections.length === 0)
    throw invalid(`cannot read the update expression "${expr}"`);
  const changed: string[] = [];
  const next: Item = { ...item };
  for (const [, action, body] of sections) {
    for (const part of body!.split(",")) {
      if (action === "REMOVE") {
        const name = attribute(part, names, used);
        delete next[name];
        changed.push(name);
        continue;
      }
      const m = /^\s*(\S+)\s*=\s*(\S+)\s*(?:([+-])\s*(\S+))?\s*$/.exec(part);
      if (!m) throw invalid(`cannot read "${part}"`);
      const name = attribute(m[1]!, names, used);
      let value = operand(m[2]!, item, names, values, used);
      if (m[3]) {
        const right = operand(m[4]!, item, names, values, used);
        if (typeof value !== "number" || typeof right !== "number")
          throw invalid("the provided expression refers to an attribute that does not exist in the item");
        value = m[3] === "+" ? value + right : value - right;
      }
      if (value === undefined) throw invalid("the provided expression refers to an attribute that does not exist");
      next[name] = value;
      changed.push(name);
    }
  }
  for (const k of Object.keys(item)) delete item[k];
  Object.assign(item, next);
  return changed;
}

function allUsed(names: Names, values: Values, used: Set<string>): void {
  const unused = [...Object.keys(names ?? {}), ...Object.keys(values ?? {})].filter((k) => !used.has(k));
  if (unused.length) throw invalid(`declared but unused in expressions: ${unused.join(", ")}`);
}

/** The table's items by `pk|sk`, and the operations sent, for assertions. */
export interface FakeTable {
  items: Map<string, Item>;
  sent: string[];
  put(item: Item): void;
  get(key: { pk: string; sk: string }): Item | undefined;
  /** Runs before each operation with the operation's name and input: a test's stand-in for a parallel writer. */
  beforeSend?: (operation: string, input: Record<string, any>) => void;
  restore(): void;
}

export function fakeTable(): FakeTable {
  const items = new Map<string, Item>();
  /** Each item as it was before its last write through `send` (undefined: it did not exist). */
  const before = new Map<string, Item | undefined>();
  const write = (k: string, item: Item) => {
    before.set(k, items.get(k));
    items.set(k, item);
  };
  const sent: string[] = [];
  const copy = <T>(x: T): T => structuredClone(x);

  const handle = (command: { constructor: { name: string }; input: Record<string, any> }): Item => {
    const name = command.constructor.name;
    const input = command.input;
    sent.push(name);
    table.beforeSend?.(name, input);
    const names: Names = input.ExpressionAttributeNames;
    const values: Values = input.ExpressionAttributeValues;
    const used = new Set<string>();
    // Every name and value an expression mentions counts as used, whether or not evaluation reaches it.
    for (const expr of [input.ConditionExpression, input.UpdateExpression, input.KeyConditionExpression])
      for (const token of String(expr ?? "").match(/[#:][A-Za-z0-9_]+/g) ?? []) {
        if (!(token in ((token.startsWith("#") ? names : values) ?? {}))) throw invalid(`${token} is not defined`);
        used.add(token);
      }
    switch (name) {
      case "GetCommand": {
        const k = keyOf(input.Key);
        const found = input.ConsistentRead || !before.has(k) ? items.get(k) : before.get(k);
        return found ? { Item: copy(found) } : {};
      }
      case "PutCommand": {
        const k = keyOf(input.Item);
        if (input.ConditionExpression && !condition(input.ConditionExpression, items.get(k), names, values, used))
          throw new FakeTableError("ConditionalCheckFailedException", "The conditional request failed");
        allUsed(names, values, used);
        write(k, copy(input.Item));
        return {};
      }
      case "UpdateCommand": {
        const k = keyOf(input.Key);
        const existing = items.get(k);
        if (input.ConditionExpression && !condition(input.ConditionExpression, existing, names, values, used))
          throw new FakeTableError("ConditionalCheckFailedException", "The conditional request failed");
        const item: Item = existing ? copy(existing) : { pk: input.Key.pk, sk: input.Key.sk };
        const changed = update(String(input.UpdateExpression ?? ""), item, names, values, used);
        allUsed(names, values, used);
        write(k, item);
        if (input.ReturnValues === "ALL_NEW") return { Attributes: copy(item) };
        if (input.ReturnValues === "UPDATED_NEW")
          return { Attributes: Object.fromEntries(changed.filter((c) => c in item).map((c) => [c, copy(item[c])])) };
        if (input.ReturnValues && input.ReturnValues !== "NONE") throw invalid(`ReturnValues ${input.ReturnValues}`);
        return {};
      }
      case "BatchGetCommand": {
        const [[table, req]] = Object.entries(input.RequestItems as Record<string, { Keys: Item[] }>) as [
          [string, { Keys: Item[] }],
        ];
        if (req.Keys.length > 100) throw invalid("more than 100 keys in one BatchGetItem");
        const found = req.Keys.map((k) => items.get(keyOf(k))).filter((x): x is Item => x !== undefined);
        return { Responses: { [table]: copy(found) } };
      }
      case "QueryCommand": {
        const m = /^(\w+) = (:\w+)(?: AND begins_with\((\w+), (:\w+)\))?$/.exec(String(input.KeyConditionExpression));
        if (!m) throw invalid(`cannot read the key condition "${input.KeyConditionExpression}"`);
        const [, hashName, hashValue, rangeName, rangePrefix] = m;
        const hash = operand(hashValue!, undefined, names, values, used);
        const prefix = rangePrefix ? operand(rangePrefix, undefined, names, values, used) : undefined;
        allUsed(names, values, used);
        const found = [...items.values()].filter(
          (i) =>
            i[hashName!] === hash && (prefix === undefined || String(i[rangeName!] ?? "").startsWith(String(prefix))),
        );
        return { Items: copy(found) };
      }
      default:
        throw new Error(`the fake table does not speak ${name}`);
    }
  };

  const spy = vi
    .spyOn(DynamoDBDocumentClient.prototype, "send")
    .mockImplementation((async (command: never) => handle(command)) as never);

  const table: FakeTable = {
    items,
    sent,
    put: (item) => items.set(keyOf(item), copy(item)),
    get: (key) => items.get(keyOf(key)),
    restore: () => spy.mockRestore(),
  };
  return table;
}

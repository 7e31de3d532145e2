/**
 * The one DynamoDB table, declared once. sst.config.ts and the local stack both
 * build from this object, and a test checks they agree.
 */
export const TableDefinition = {
  /** Logical name in sst.config.ts (and SST `Resource` link name). */
  resource: "Table",
  fields: {
    pk: "string",
    sk: "string",
    gsi1pk: "string",
    gsi1sk: "string",
    gsi2pk: "string",
    gsi2sk: "string",
  },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {
    gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk", projection: "all" },
    gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk", projection: "all" },
  },
  /** Epoch seconds. Expired items may linger (DynamoDB deletes lazily; Local barely at all): code treats them as absent. */
  ttl: "expiresAt",
  billing: "on-demand",
} as const;

export type IndexName = keyof typeof TableDefinition.globalIndexes;

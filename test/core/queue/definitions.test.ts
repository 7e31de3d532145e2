import { describe, expect, it } from "vitest";
import { physicalQueueName, QueueDefinitions, queueNames } from "../../../core/queue/definitions.js";

describe("queue definitions", () => {
  it("names each queue and its dead-letter queue after the stage prefix", () => {
    expect(physicalQueueName("zizhu-prod", "delivery")).toBe("zizhu-prod-delivery");
    expect(physicalQueueName("zizhu-prod", "delivery", true)).toBe("zizhu-prod-delivery-dlq");
  });

  it("lists every queue once, each retried at least twice before its dead-letter queue", () => {
    expect(queueNames.sort()).toEqual(["delivery", "fanout", "imports", "inbound"]);
    for (const q of queueNames) expect(QueueDefinitions[q].maxReceiveCount).toBeGreaterThanOrEqual(2);
  });
});

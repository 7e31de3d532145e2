/** The dashboard's chart options are built from the API's figures by pure functions: checked here, not in pixels. */
import { describe, expect, test } from "vitest";
import { peopleAndMoney, reachPie, stageBars, yuan } from "../../console/src/pages/dashboard-charts.js";

describe("dashboard chart options", () => {
  test("people and money: one category per row, students on the left axis, yuan (from fen) on the right", () => {
    const o = peopleAndMoney([
      { label: "城关镇", paidStudents: 3, paidFen: 187500 },
      { label: "河石乡", paidStudents: 1, paidFen: 60050 },
    ]) as any;
    expect(o.xAxis.data).toEqual(["城关镇", "河石乡"]);
    expect(o.series[0]).toMatchObject({ name: "资助人数", data: [3, 1] });
    expect(o.series[1]).toMatchObject({ name: "资助金额（元）", yAxisIndex: 1, data: [1875, 600.5] });
  });

  test("stages keep the order given, and the reach pie splits reached from not reached", () => {
    const s = stageBars([
      { label: "已提交申请", count: 2 },
      { label: "已发放", count: 5 },
    ]) as any;
    expect(s.xAxis.data).toEqual(["已提交申请", "已发放"]);
    expect(s.series[0].data).toEqual([2, 5]);
    const p = reachPie({ reached: 40, unreached: 7 }) as any;
    expect(p.series[0].data).toEqual([
      { name: "已送达", value: 40 },
      { name: "未送达", value: 7 },
    ]);
    expect(yuan(12345)).toBe(123.45);
    // No finished notice: no slices (an empty pie is not drawn as half and half).
    const none = reachPie({ reached: 0, unreached: 0 }) as any;
    expect(none.series).toEqual([]);
    expect(none.title.text).toBe("暂无已发完的通知");
  });
});

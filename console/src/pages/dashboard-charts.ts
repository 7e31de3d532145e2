/**
 * The dashboard's chart options, built by pure functions from the API's figures (so a chart is checked by checking
 * its option), and the ECharts modules the page needs — imported here only, so the page's chunk carries ECharts
 * and the console's first page does not.
 */
import * as echarts from "echarts/core";
import { BarChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { EChartsCoreOption } from "echarts/core";

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);
export { echarts };

export const yuan = (fen: number) => Math.round(fen) / 100;

/** Bars of paid students and paid yuan per row (programme, township or school). */
export function peopleAndMoney(rows: { label: string; paidStudents: number; paidFen: number }[]): EChartsCoreOption {
  return {
    // Figures to read, not to watch grow (and a screenshot shows the real bars).
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: ["资助人数", "资助金额（元）"] },
    grid: { left: 60, right: 70, bottom: 80, top: 40 },
    xAxis: {
      type: "category",
      data: rows.map((r) => r.label),
      axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 },
    },
    yAxis: [
      // Whole people: no 0.2 人 on the axis.
      { type: "value", name: "人", minInterval: 1 },
      { type: "value", name: "元" },
    ],
    series: [
      { name: "资助人数", type: "bar", data: rows.map((r) => r.paidStudents) },
      { name: "资助金额（元）", type: "bar", yAxisIndex: 1, data: rows.map((r) => yuan(r.paidFen)) },
    ],
  };
}

/** Applications per stage, in the stage machine's order. */
export function stageBars(stages: { label: string; count: number }[]): EChartsCoreOption {
  return {
    animation: false,
    tooltip: { trigger: "axis" },
    grid: { left: 50, right: 20, bottom: 60, top: 20 },
    xAxis: { type: "category", data: stages.map((s) => s.label), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", name: "份", minInterval: 1 },
    series: [{ name: "申请", type: "bar", data: stages.map((s) => s.count) }],
  };
}

/** Students reached / not reached by the term's notices; with no finished notice, an empty ring that says so. */
export function reachPie(reach: { reached: number; unreached: number }): EChartsCoreOption {
  if (reach.reached + reach.unreached === 0)
    return { animation: false, title: { text: "暂无已发完的通知", left: "center", top: "middle" }, series: [] };
  return {
    animation: false,
    tooltip: { trigger: "item" },
    legend: { bottom: 0 },
    series: [
      {
        type: "pie",
        radius: ["40%", "70%"],
        data: [
          { name: "已送达", value: reach.reached },
          { name: "未送达", value: reach.unreached },
        ],
      },
    ],
  };
}

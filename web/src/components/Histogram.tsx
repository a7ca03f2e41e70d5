import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { HistogramBucket } from '../api';
import { formatTime } from '../format';

// Only the parts used here, so the bundle carries no other chart types.
echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

interface Props {
  buckets: readonly HistogramBucket[];
  label: string;
}

/** Bars of event counts per time bucket. */
export function Histogram({ buckets, label }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = element.current!;
    const instance = echarts.init(el, undefined, { renderer: 'svg' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        grid: { left: 48, right: 12, top: 10, bottom: 24 },
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          // Plain text: a tooltip formatter's string is HTML to ECharts, and times are ours, not log data.
          formatter: (params: unknown) => {
            const p = (params as { value: [number, number] }[])[0];
            return p ? `${formatTime(new Date(p.value[0]).toISOString())}<br/>${label}: <b>${p.value[1]}</b>` : '';
          },
        },
        xAxis: { type: 'time', axisLabel: { color: '#5b6573', fontSize: 11, hideOverlap: true }, axisLine: { lineStyle: { color: '#c9d1db' } } },
        yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#5b6573', fontSize: 11 }, splitLine: { lineStyle: { color: '#eef1f5' } } },
        series: [
          {
            type: 'bar',
            name: label,
            barCategoryGap: '10%',
            itemStyle: { color: '#2f6db5' },
            data: buckets.map((b) => [Date.parse(b.time), b.count]),
          },
        ],
      },
      { notMerge: true },
    );
  }, [buckets, label]);

  return <div className="histogram" ref={element} role="img" aria-label={label} />;
}

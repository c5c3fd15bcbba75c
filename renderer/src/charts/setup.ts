import { use, type ComposeOption } from 'echarts/core';
import { BarChart, BoxplotChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import type {
  BarSeriesOption,
  BoxplotSeriesOption,
  HeatmapSeriesOption,
  LineSeriesOption,
  ParallelSeriesOption,
  ScatterSeriesOption,
} from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  ParallelComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

// Only what the charts use, so the bundle stays small (tree-shaken echarts/core).
use([
  CanvasRenderer,
  LineChart,
  ScatterChart,
  BarChart,
  BoxplotChart,
  HeatmapChart,
  ParallelChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  VisualMapComponent,
  ParallelComponent,
  TitleComponent,
]);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | ScatterSeriesOption
  | BoxplotSeriesOption
  | HeatmapSeriesOption
  | ParallelSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | DataZoomComponentOption
  | VisualMapComponentOption
  | TitleComponentOption
> & {
  // Added by hand: ComposeOption's parallel-axis dependency widens every key to an axis type.
  parallel?: ParallelComponentOption;
  parallelAxis?: EChartsOption['parallelAxis'];
};

/** Only the ECharts parts the cockpit uses. */
import * as echarts from 'echarts/core';
import { BarChart, EffectScatterChart, LinesChart, PieChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, LinesChart, ScatterChart, EffectScatterChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
export type { EChartsCoreOption } from 'echarts/core';

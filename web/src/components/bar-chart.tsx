import { useI18n } from '../i18n';
import { formatDay } from '../lib/zoned-time';
import { useFormatMoney } from './money';

interface Bar {
  date: string;
  amount: number;
}

/** Daily totals as an SVG bar chart; a table beside it carries the same numbers for screen readers. */
export function BarChart({ bars, title }: { bars: Bar[]; title: string }) {
  const { locale } = useI18n();
  const format = useFormatMoney();
  const width = 720;
  const height = 220;
  const pad = { top: 16, right: 8, bottom: 40, left: 8 };
  const max = Math.max(1, ...bars.map((b) => b.amount));
  const min = Math.min(0, ...bars.map((b) => b.amount));
  const span = max - min;
  const innerH = height - pad.top - pad.bottom;
  const slot = (width - pad.left - pad.right) / Math.max(1, bars.length);
  const y = (value: number) => pad.top + ((max - value) / span) * innerH;
  const labelEvery = Math.ceil(bars.length / 12);
  return (
    <svg
      className="bar-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={title}
      data-testid="daily-chart"
    >
      <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} className="axis" />
      {bars.map((bar, i) => {
        const x = pad.left + i * slot + slot * 0.15;
        const top = Math.min(y(bar.amount), y(0));
        const h = Math.max(1, Math.abs(y(bar.amount) - y(0)));
        return (
          <g key={bar.date}>
            <rect x={x} y={top} width={slot * 0.7} height={h} className={bar.amount < 0 ? 'bar negative' : 'bar'}>
              <title>{`${formatDay(bar.date, locale)}: ${format(bar.amount)}`}</title>
            </rect>
            {i % labelEvery === 0 && (
              <text x={x + slot * 0.35} y={height - pad.bottom + 16} textAnchor="middle" className="tick">
                {bar.date.slice(8)}.{bar.date.slice(5, 7)}
              </text>
            )}
          </g>
        );
      })}
      <text x={width - pad.right} y={pad.top - 4} textAnchor="end" className="tick">
        {format(max)}
      </text>
    </svg>
  );
}

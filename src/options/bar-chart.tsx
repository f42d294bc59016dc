/**
 * A small bar chart as inline SVG (no library): a title, axis labels, and a text alternative (the
 * SVG's <title> and <desc>, plus the numbers as a table under a disclosure).
 */
interface Props {
  id: string;
  title: string;
  /** One sentence summing the chart up, for people who cannot see it. */
  desc: string;
  xTitle: string;
  yTitle: string;
  bars: { label: string; value: number }[];
}

const W = 600;
const H = 170;
const LEFT = 44;
const BOTTOM = 36;
const TOP = 10;

export function BarChart({ id, title, desc, xTitle, yTitle, bars }: Props) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const plotW = W - LEFT - 8;
  const plotH = H - TOP - BOTTOM;
  const step = plotW / Math.max(1, bars.length);
  const baseY = TOP + plotH;
  return (
    <figure class="chart">
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{desc}</desc>
        <line class="axis" x1={LEFT} y1={TOP} x2={LEFT} y2={baseY} />
        <line class="axis" x1={LEFT} y1={baseY} x2={W - 8} y2={baseY} />
        <text class="tick" x={LEFT - 4} y={TOP + 4} text-anchor="end">
          {max}
        </text>
        <text class="tick" x={LEFT - 4} y={baseY} text-anchor="end">
          0
        </text>
        <text class="axis-title" transform={`translate(12 ${TOP + plotH / 2}) rotate(-90)`} text-anchor="middle">
          {yTitle}
        </text>
        {bars.map((b, i) => {
          const h = (b.value / max) * plotH;
          return (
            <rect key={i} class="bar" x={LEFT + i * step + 1} y={baseY - h} width={Math.max(1, step - 2)} height={h} />
          );
        })}
        {bars.length > 0 && (
          <>
            <text class="tick" x={LEFT} y={baseY + 14}>
              {bars[0]!.label}
            </text>
            <text class="tick" x={W - 8} y={baseY + 14} text-anchor="end">
              {bars[bars.length - 1]!.label}
            </text>
          </>
        )}
        <text class="axis-title" x={LEFT + plotW / 2} y={H - 4} text-anchor="middle">
          {xTitle}
        </text>
      </svg>
      <details>
        <summary>{`${title}: as a table`}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{xTitle}</th>
              <th scope="col">{yTitle}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b, i) => (
              <tr key={i}>
                <td>{b.label}</td>
                <td>{b.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

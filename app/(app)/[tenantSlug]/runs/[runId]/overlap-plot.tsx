/**
 * Mirrored histogram of propensity scores: participants above the axis, non-participants below,
 * as shares of each group per bin. The table after it carries the same numbers.
 */
export function OverlapPlot({ histogram }: { histogram: { edges: number[]; treated: number[]; control: number[] } }) {
  const width = 640;
  const half = 90;
  const bins = histogram.treated.length;
  const barWidth = (width - 40) / bins;
  const max = Math.max(0.01, ...histogram.treated, ...histogram.control);
  const h = (v: number) => (v / max) * (half - 10);
  return (
    <svg role="img" aria-label="Propensity score distributions of participants (above) and non-participants (below)" viewBox={`0 0 ${width} ${2 * half + 30}`} className="w-full max-w-3xl">
      {histogram.treated.map((v, k) => (
        <rect key={`t${k}`} x={20 + k * barWidth} y={half - h(v)} width={barWidth - 1} height={h(v)} fill="#1d5fbf" />
      ))}
      {histogram.control.map((v, k) => (
        <rect key={`c${k}`} x={20 + k * barWidth} y={half} width={barWidth - 1} height={h(v)} fill="#94a3b8" />
      ))}
      <line x1={20} x2={width - 20} y1={half} y2={half} stroke="#0f172a" />
      <text x={22} y={14} fontSize="11" fill="#1d5fbf">participants</text>
      <text x={22} y={2 * half - 4} fontSize="11" fill="#475569">non-participants</text>
      {[0, 0.25, 0.5, 0.75, 1].map((t) => (
        <text key={t} x={20 + t * (width - 40)} y={2 * half + 20} fontSize="11" textAnchor="middle" fill="#475569">
          {t}
        </text>
      ))}
    </svg>
  );
}

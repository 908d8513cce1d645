/**
 * Love plot: |standardised mean difference| of each covariate before (open circle) and after
 * (filled) matching, with the 0.1 threshold. The balance table below it carries the same
 * numbers for readers who cannot use the chart.
 */
export function LovePlot({ rows }: { rows: { covariate: string; smdBefore: number; smdAfter: number }[] }) {
  const width = 820;
  const rowHeight = 22;
  const left = 330;
  const height = rows.length * rowHeight + 40;
  const max = Math.max(0.25, ...rows.flatMap((r) => [Math.abs(r.smdBefore), Math.abs(r.smdAfter)])) * 1.05;
  const x = (v: number) => left + (Math.abs(v) / max) * (width - left - 20);
  return (
    <svg role="img" aria-label="Love plot of covariate balance before and after matching" viewBox={`0 0 ${width} ${height}`} className="w-full max-w-3xl">
      <line x1={x(0.1)} x2={x(0.1)} y1={10} y2={height - 25} stroke="#dc2626" strokeDasharray="4 3" />
      <text x={x(0.1) + 4} y={height - 10} fontSize="11" fill="#dc2626">
        0.1
      </text>
      <line x1={left} x2={width - 20} y1={height - 25} y2={height - 25} stroke="#94a3b8" />
      <text x={width - 20} y={height - 10} fontSize="11" textAnchor="end" fill="#475569">
        |standardised mean difference|
      </text>
      {rows.map((row, i) => {
        const y = 20 + i * rowHeight;
        return (
          <g key={row.covariate}>
            <text x={left - 8} y={y + 4} fontSize="12" textAnchor="end" fill="#0f172a">
              {row.covariate}
            </text>
            <line x1={x(row.smdBefore)} x2={x(row.smdAfter)} y1={y} y2={y} stroke="#cbd5e1" />
            <circle cx={x(row.smdBefore)} cy={y} r={5} fill="white" stroke="#64748b" strokeWidth={1.5} />
            <circle cx={x(row.smdAfter)} cy={y} r={5} fill="#1d5fbf" />
          </g>
        );
      })}
    </svg>
  );
}

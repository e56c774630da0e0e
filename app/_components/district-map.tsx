import type { TDistrictGeometry } from "@/lib/geo/geometry";
import { projectDistrictMap } from "@/lib/geo/project";

export type TDistrictMapArea = {
  code: string;
  /** Shown on the map at the district's centre. */
  label: string;
  geometry: TDistrictGeometry;
  /** A Tailwind fill class (e.g. `fill-red-700`), chosen by the page from what the map shows. */
  fillClassName: string;
  /** Read by screen readers with the label (e.g. "警戒レベル4"). */
  description?: string;
};

export type TDistrictMapMarker = {
  id: string;
  label: string;
  latitude: number;
  longitude: number;
  /** A Tailwind fill class for the marker. */
  fillClassName: string;
  /** The marker's shape, so meaning never rests on colour alone. */
  shape: "circle" | "square" | "triangle";
  description?: string;
};

export type TDistrictMapProps = {
  /** Names the map for screen readers (the SVG's <title>). */
  title: string;
  areas: readonly TDistrictMapArea[];
  markers?: readonly TDistrictMapMarker[];
  /** The legend under the map: what each fill and shape means. */
  legend?: readonly { label: string; fillClassName: string; shape?: TDistrictMapMarker["shape"] }[];
  width?: number;
  height?: number;
  className?: string;
};

const MARKER = 9;

function Marker({
  shape,
  x,
  y,
  className,
}: {
  shape: TDistrictMapMarker["shape"];
  x: number;
  y: number;
  className: string;
}) {
  if (shape === "square") {
    return <rect x={x - MARKER} y={y - MARKER} width={MARKER * 2} height={MARKER * 2} className={className} />;
  }
  if (shape === "triangle") {
    return (
      <polygon
        points={`${x},${y - MARKER - 2} ${x + MARKER + 1},${y + MARKER} ${x - MARKER - 1},${y + MARKER}`}
        className={className}
      />
    );
  }
  return <circle cx={x} cy={y} r={MARKER} className={className} />;
}

/**
 * The town's districts as an SVG drawn on the server from the stored GeoJSON outlines (lib/geo):
 * no tile server, no network, no client script. Each area and marker carries a <title>, so the
 * map is readable by screen readers; pages still give the same facts as a table.
 */
export function DistrictMap({
  title,
  areas,
  markers = [],
  legend = [],
  width = 640,
  height = 420,
  className,
}: TDistrictMapProps) {
  const map = projectDistrictMap(
    areas.map((a) => ({ code: a.code, geometry: a.geometry })),
    markers.map((m) => ({ id: m.id, latitude: m.latitude, longitude: m.longitude })),
    { width, height },
  );
  const markerAt = new Map(map.points.map((p) => [p.id, p]));
  return (
    <figure className={className}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={title}
        className="h-auto w-full max-w-[48rem] rounded-8 border border-line bg-solid-gray-50"
      >
        <title>{title}</title>
        {areas.map((a, i) => {
          const projected = map.districts[i]!;
          return (
            <g key={a.code} data-district={a.code}>
              <path d={projected.path} className={`${a.fillClassName} stroke-white stroke-2`}>
                <title>{a.description ? `${a.label}: ${a.description}` : a.label}</title>
              </path>
              <text
                x={projected.labelAt[0]}
                y={projected.labelAt[1]}
                textAnchor="middle"
                dominantBaseline="middle"
                className="pointer-events-none fill-solid-gray-900 stroke-white text-[15px] font-bold [paint-order:stroke] [stroke-width:4px]"
              >
                {a.label}
              </text>
            </g>
          );
        })}
        {markers.map((m) => {
          const at = markerAt.get(m.id);
          if (!at) return null;
          return (
            <g key={m.id} data-marker={m.id}>
              <Marker shape={m.shape} x={at.x} y={at.y} className={`${m.fillClassName} stroke-white stroke-2`} />
              <title>{m.description ? `${m.label}: ${m.description}` : m.label}</title>
            </g>
          );
        })}
      </svg>
      {legend.length > 0 ? (
        <figcaption>
          <ul className="mt-3 flex flex-wrap gap-x-6 gap-y-2 text-std-16N-170">
            {legend.map((l) => (
              <li key={l.label} className="flex items-center gap-2">
                <svg width="20" height="20" viewBox="-10 -10 20 20" aria-hidden="true">
                  {l.shape ? (
                    <Marker shape={l.shape} x={0} y={0} className={l.fillClassName} />
                  ) : (
                    <rect x={-9} y={-9} width={18} height={18} className={l.fillClassName} />
                  )}
                </svg>
                {l.label}
              </li>
            ))}
          </ul>
        </figcaption>
      ) : null}
    </figure>
  );
}

/**
 * The map's drawing: regl-scatterplot (WebGL, made for millions of points, with lasso and
 * box selection built in). Colours come as a legend index or a 0..1 value per point, the
 * explorer's view as a 0/1 highlight drawn as opacity. Region labels are DOM text kept at
 * their place as the camera moves (each pinned to the point nearest its centre).
 */
import createScatterplot from 'regl-scatterplot';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MapLabel, MapPoints } from '../../../shared/map-api';
import { CATEGORY_COLORS, COMPARE_COLORS, GRADIENT, PLAIN_COLOR } from './palette';

export type MapMode = 'pan' | 'lasso' | 'box';

type Scatterplot = ReturnType<typeof createScatterplot>;

interface Props {
  points: MapPoints;
  numeric: boolean;
  /** Another dataset's points, drawn after this one's in a colour of their own. */
  overlay?: { xy: Float32Array; labels: MapLabel[] } | undefined;
  mode: MapMode;
  onRegion: (polygon: [number, number][]) => void;
  onHover: (k: number | null, at: [number, number] | null) => void;
  onClick: (k: number) => void;
}

const DIMMED = 0.12;
/** How long the view rests before its labels show again. */
const LABELS_AFTER_MS = 150;

export function ScatterCanvas({
  points,
  numeric,
  overlay,
  mode,
  onRegion,
  onHover,
  onClick,
}: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const labelsRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<Scatterplot | null>(null);
  const [error, setError] = useState<string>();
  const fail = useRef(setError);
  const handlers = useRef({ onRegion, onHover, onClick });
  useEffect(() => {
    handlers.current = { onRegion, onHover, onClick };
  });
  const anchors = useRef<number[]>([]);
  /** Points of this dataset (the first ones drawn); the overlay's follow. */
  const own = useRef(0);
  const labels = useMemo(
    () => [...points.labels, ...(overlay?.labels ?? [])],
    [points.labels, overlay?.labels],
  );

  useEffect(() => {
    const canvas = canvasRef.current!;
    let plot: Scatterplot;
    try {
      plot = createScatterplot({
        canvas,
        width: 'auto',
        height: 'auto',
        pointSize: 3,
        opacity: 0.8,
        lassoMinDelay: 10,
        lassoClearEvent: 'lassoEnd',
        deselectOnEscape: true,
        backgroundColor: [1, 1, 1, 1],
        pointColorActive: [0.1, 0.1, 0.1, 1],
      });
    } catch (err) {
      // Reported from a task: WebGL is missing before anything could subscribe.
      queueMicrotask(() =>
        fail.current(`This browser cannot draw the map (WebGL): ${String(err)}`),
      );
      return;
    }
    if (!plot.isSupported)
      queueMicrotask(() => fail.current('This browser lacks WebGL features the map needs.'));
    plotRef.current = plot;
    let lassoing = false;
    const place = () => {
      const box = labelsRef.current;
      if (!box || !plot.get('isPointsDrawn')) return;
      anchors.current.forEach((k, i) => {
        const el = box.children[i] as HTMLElement | undefined;
        const at = k >= 0 ? plot.getScreenPosition(k) : undefined;
        if (!el || !at) return;
        el.style.transform = `translate(${at[0]}px, ${at[1]}px) translate(-50%, -50%)`;
      });
    };
    // plot.destroy() drops every subscription.
    plot.subscribe('lassoStart', () => {
      lassoing = true;
    });
    plot.subscribe('lassoEnd', ({ coordinates }) => {
      lassoing = false;
      plot.deselect({ preventEvent: true });
      const polygon = coordinates as unknown as [number, number][];
      if (polygon.length >= 3) handlers.current.onRegion(polygon);
    });
    plot.subscribe('select', ({ points: picked }) => {
      if (lassoing || picked.length !== 1) return;
      plot.deselect({ preventEvent: true });
      if (picked[0]! < own.current) handlers.current.onClick(picked[0]!);
    });
    plot.subscribe('pointOver', (k) => {
      if (k < own.current) handlers.current.onHover(k, plot.getScreenPosition(k) ?? null);
    });
    plot.subscribe('pointOut', () => handlers.current.onHover(null, null));
    // While the view moves the labels are hidden and placed once it rests: moved every frame
    // they made the browser lay out and repaint over the canvas on each frame of a pan.
    let settle: ReturnType<typeof setTimeout> | undefined;
    const rest = () => {
      settle = undefined;
      place();
      if (labelsRef.current) labelsRef.current.style.visibility = '';
    };
    plot.subscribe('view', () => {
      if (labelsRef.current) labelsRef.current.style.visibility = 'hidden';
      clearTimeout(settle);
      settle = setTimeout(rest, LABELS_AFTER_MS);
    });
    plot.subscribe('draw', () => {
      if (!settle) place();
    });
    return () => {
      clearTimeout(settle);
      plot.destroy();
      plotRef.current = null;
    };
  }, []);

  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    void plot.set(
      mode === 'pan'
        ? { mouseMode: 'panZoom' }
        : ({ mouseMode: 'lasso', lassoType: mode === 'box' ? 'rectangle' : 'freeform' } as never),
    );
  }, [mode]);

  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    const n = points.xy.length / 2;
    const xy = overlay ? concat(points.xy, overlay.xy) : points.xy;
    const total = xy.length / 2;
    own.current = n;
    const x = new Float32Array(total);
    const y = new Float32Array(total);
    for (let k = 0; k < total; k++) {
      x[k] = xy[2 * k]!;
      y[k] = xy[2 * k + 1]!;
    }
    const colored = overlay !== undefined || points.legend.length > 0;
    const z = new Float32Array(total);
    if (overlay) z.fill(1, n);
    else
      for (let k = 0; k < n; k++) {
        const v = points.color[k]!;
        z[k] = Number.isNaN(v) ? 0 : v;
      }
    const gradient = numeric && !overlay;
    let w: Float32Array | undefined;
    if (points.highlight) {
      w = new Float32Array(total).fill(1);
      w.set(points.highlight);
    }
    anchors.current = labels.map((l) => nearestPoint(xy, l.x, l.y));
    // Islands (records near nothing on this map) lie right of it: bring them into view.
    let right = 1;
    for (let k = 2 * n; k < xy.length; k += 2) right = Math.max(right, xy[k]!);
    void (async () => {
      await plot.set({
        pointColor: !colored
          ? PLAIN_COLOR
          : overlay
            ? COMPARE_COLORS
            : gradient
              ? GRADIENT
              : CATEGORY_COLORS,
        colorBy: colored ? 'valueA' : null,
        opacityBy: w ? 'valueB' : null,
        opacity: w ? [DIMMED, 0.9] : 0.8,
      });
      await plot.draw(
        { x, y, valueA: z, ...(w && { valueB: w }) },
        {
          zDataType: gradient ? 'continuous' : 'categorical',
          wDataType: 'categorical',
        },
      );
      if (right > 1.05)
        await plot.zoomToArea({ x: -1.05, y: -1.1, width: right + 1.1, height: 2.2 });
    })();
  }, [points, numeric, overlay, labels]);

  return (
    <div className="map-canvas">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <canvas
        ref={canvasRef}
        aria-label="Topic map"
        data-points={(points.xy.length + (overlay?.xy.length ?? 0)) / 2}
      />
      <div className="map-labels" ref={labelsRef} aria-hidden="true">
        {labels.map((l, i) => (
          <span key={i} className="map-label">
            {l.terms.join(' · ')}
          </span>
        ))}
      </div>
    </div>
  );
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function nearestPoint(xy: Float32Array, x: number, y: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let k = 0; k < xy.length / 2; k++) {
    const d = (xy[2 * k]! - x) ** 2 + (xy[2 * k + 1]! - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

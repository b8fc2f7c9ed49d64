// The map benchmark's drawing legs, each on a canvas of the same size with the same points:
// the app's own ScatterCanvas (React, regl-scatterplot with the app's options, colours and
// region labels), the same library with nothing of ours around it, and a minimal raw WebGL
// draw. The two library legs are driven the same way a person does (wheel zoom and a drag),
// so what ours adds over the bare library shows; the raw leg is the floor this GPU (or
// software rasteriser) sets for drawing that many points at all.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import createScatterplot from 'regl-scatterplot';
import type { MapLabel, MapPoints } from '../src/shared/map-api';
import { ScatterCanvas } from '../src/ui/features/map/ScatterCanvas';
import '../src/ui/features/map/map.css';

const WIDTH = 1000;
const HEIGHT = 700;
export const LEGEND = 12;
/** Frames drawn before timing (shaders compiled, buffers settled). */
const WARM_UP = 10;

const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r));

function box(): HTMLDivElement {
  const div = document.createElement('div');
  div.style.cssText = `width:${WIDTH}px;height:${HEIGHT}px;position:relative`;
  document.body.append(div);
  return div;
}

/** Frame intervals while the camera moves every frame: wheel zoom in and out under a drag. */
async function frames(canvas: HTMLCanvasElement, count: number): Promise<number[]> {
  const rect = canvas.getBoundingClientRect();
  const at = (t: number) => ({
    clientX: rect.left + rect.width * (0.5 + 0.3 * Math.cos(t * 6.28)),
    clientY: rect.top + rect.height * (0.5 + 0.3 * Math.sin(t * 6.28)),
  });
  canvas.dispatchEvent(new MouseEvent('mousedown', { ...at(0), buttons: 1, bubbles: true }));
  const gaps: number[] = [];
  let prev = await nextFrame();
  for (let f = 0; f < count; f++) {
    const t = f / count;
    window.dispatchEvent(new MouseEvent('mousemove', { ...at(t), buttons: 1, bubbles: true }));
    const deltaY = Math.sin(t * 18) > 0 ? -40 : 40;
    canvas.dispatchEvent(new WheelEvent('wheel', { ...at(t), deltaY, bubbles: true }));
    const now = await nextFrame();
    gaps.push(now - prev);
    prev = now;
  }
  window.dispatchEvent(new MouseEvent('mouseup', { ...at(1), bubbles: true }));
  return gaps;
}

export interface Leg {
  name: string;
  /** From handing over the points to their first frame on screen. */
  drawMs: number;
  gaps: number[];
}

/** The app's drawing, as the Map view mounts it. */
export async function oursLeg(xy: Float32Array, labels: MapLabel[], count: number): Promise<Leg> {
  const n = xy.length / 2;
  const color = new Float32Array(n);
  for (let k = 0; k < n; k++) color[k] = k % LEGEND;
  const points: MapPoints = {
    datasetId: 'bench',
    key: 'bench',
    method: 'text',
    computedAt: 0,
    placedLater: 0,
    unplaced: 0,
    xy,
    color,
    legend: Array.from({ length: LEGEND }, (_, i) => ({ value: `v${i}`, count: 1 })),
    labels,
    overlays: [],
  };
  const div = box();
  const root = createRoot(div);
  const started = performance.now();
  root.render(
    createElement(ScatterCanvas, {
      points,
      numeric: false,
      mode: 'pan',
      onRegion: () => undefined,
      onHover: () => undefined,
      onClick: () => undefined,
    }),
  );
  // Drawn once its labels are placed (ScatterCanvas places them when the points are drawn).
  while (!div.querySelector<HTMLElement>('.map-label')?.style.transform) await nextFrame();
  await nextFrame();
  const drawMs = performance.now() - started;
  const canvas = div.querySelector('canvas')!;
  if (count) await frames(canvas, WARM_UP);
  const gaps = count ? await frames(canvas, count) : [];
  root.unmount();
  div.remove();
  return { name: 'ours (ScatterCanvas)', drawMs, gaps };
}

/** The same library with its defaults and the same points, size and colours: nothing of ours. */
export async function bareLeg(xy: Float32Array, count: number): Promise<Leg> {
  const n = xy.length / 2;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const z = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    x[k] = xy[2 * k]!;
    y[k] = xy[2 * k + 1]!;
    z[k] = k % LEGEND;
  }
  const div = box();
  const canvas = document.createElement('canvas');
  canvas.style.cssText = 'width:100%;height:100%;display:block';
  div.append(canvas);
  const started = performance.now();
  const plot = createScatterplot({ canvas, width: 'auto', height: 'auto', pointSize: 3 });
  await plot.set({
    colorBy: 'valueA',
    pointColor: Array.from({ length: LEGEND }, (_, i) => `hsl(${i * 30}, 70%, 45%)`),
  });
  await plot.draw({ x, y, valueA: z }, { zDataType: 'categorical' });
  await nextFrame();
  const drawMs = performance.now() - started;
  await frames(canvas, WARM_UP);
  const gaps = await frames(canvas, count);
  plot.destroy();
  div.remove();
  return { name: 'bare regl-scatterplot', drawMs, gaps };
}

const VERTEX = `
attribute vec2 xy;
uniform vec3 view;
void main() {
  gl_Position = vec4((xy - view.xy) * view.z, 0.0, 1.0);
  gl_PointSize = 3.0;
}`;
const FRAGMENT = `
precision mediump float;
void main() { gl_FragColor = vec4(0.2, 0.4, 0.7, 0.8); }`;

/** The least a WebGL draw of these points can do: one buffer, one draw call a frame. */
export async function rawLeg(xy: Float32Array, count: number): Promise<Leg> {
  const div = box();
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH * devicePixelRatio;
  canvas.height = HEIGHT * devicePixelRatio;
  canvas.style.cssText = 'width:100%;height:100%;display:block';
  div.append(canvas);
  const started = performance.now();
  const gl = canvas.getContext('webgl')!;
  const shader = (type: number, source: string) => {
    const s = gl.createShader(type)!;
    gl.shaderSource(s, source);
    gl.compileShader(s);
    return s;
  };
  const program = gl.createProgram();
  gl.attachShader(program, shader(gl.VERTEX_SHADER, VERTEX));
  gl.attachShader(program, shader(gl.FRAGMENT_SHADER, FRAGMENT));
  gl.linkProgram(program);
  gl.useProgram(program);
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, xy, gl.STATIC_DRAW);
  const at = gl.getAttribLocation(program, 'xy');
  gl.enableVertexAttribArray(at);
  gl.vertexAttribPointer(at, 2, gl.FLOAT, false, 0, 0);
  const view = gl.getUniformLocation(program, 'view');
  gl.enable(gl.BLEND);
  gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA);
  const draw = (t: number) => {
    gl.uniform3f(
      view,
      0.5 * Math.cos(t * 6.28),
      0.5 * Math.sin(t * 6.28),
      0.4 + 0.6 * Math.abs(Math.sin(t * 9)),
    );
    gl.clearColor(1, 1, 1, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.drawArrays(gl.POINTS, 0, xy.length / 2);
  };
  draw(0);
  await nextFrame();
  const drawMs = performance.now() - started;
  const run = async (frames: number) => {
    const gaps: number[] = [];
    let prev = await nextFrame();
    for (let f = 0; f < frames; f++) {
      draw(f / frames);
      const now = await nextFrame();
      gaps.push(now - prev);
      prev = now;
    }
    return gaps;
  };
  await run(WARM_UP);
  const gaps = await run(count);
  div.remove();
  return { name: 'raw WebGL (one buffer, one draw call)', drawMs, gaps };
}

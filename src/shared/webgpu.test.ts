/** The no-WebGPU hint fits the browser and OS it runs on (user agents as browsers send them). */
import { describe, expect, it } from 'vitest';
import { browserKind, checkWebGPU, webgpuHint } from './webgpu';

const UA = {
  linuxChromium:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  winChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  winEdge:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0',
  oldChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
  linuxFirefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:146.0) Gecko/20100101 Firefox/146.0',
  winFirefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:146.0) Gecko/20100101 Firefox/146.0',
  macSafari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36',
};

describe('browserKind', () => {
  it('reads browser, OS and version', () => {
    expect(browserKind(UA.linuxChromium)).toEqual({ browser: 'chrome', os: 'linux', version: 142 });
    expect(browserKind(UA.winEdge)).toEqual({ browser: 'edge', os: 'windows', version: 142 });
    expect(browserKind(UA.linuxFirefox)).toEqual({ browser: 'firefox', os: 'linux', version: 146 });
    expect(browserKind(UA.macSafari)).toEqual({ browser: 'safari', os: 'macos', version: 18 });
    expect(browserKind(UA.androidChrome)).toMatchObject({ browser: 'chrome', os: 'android' });
  });
});

describe('webgpuHint', () => {
  const hint = (ua: string, problem: 'no-webgpu' | 'no-adapter' = 'no-adapter') =>
    webgpuHint(browserKind(ua), problem);

  it('Linux Chromium: the flag it needs', () => {
    expect(hint(UA.linuxChromium)).toContain('chrome://flags/#enable-unsafe-webgpu');
    expect(hint(UA.androidChrome)).not.toContain('enable-unsafe-webgpu');
  });
  it('Chrome and Edge elsewhere: hardware acceleration and drivers; too old: update', () => {
    expect(hint(UA.winChrome)).toMatch(/hardware acceleration in Chrome's settings/);
    expect(hint(UA.winEdge)).toMatch(/Edge's settings/);
    expect(hint(UA.oldChrome, 'no-webgpu')).toMatch(/Chrome 109 is too old.*113/);
  });
  it('Firefox and Safari: their own status', () => {
    expect(hint(UA.linuxFirefox, 'no-webgpu')).toMatch(/does not turn WebGPU on here yet/);
    expect(hint(UA.winFirefox, 'no-webgpu')).toMatch(/Windows from version 141/);
    expect(hint(UA.macSafari, 'no-webgpu')).toMatch(/Safari 26.*Develop > Feature Flags/);
  });
  it('always offers the completion server', () => {
    for (const ua of Object.values(UA)) expect(hint(ua)).toContain('completion server');
  });
});

describe('checkWebGPU hints', () => {
  it('no navigator.gpu in Firefox on Linux: says so, not "hardware acceleration"', async () => {
    const result = await checkWebGPU({
      navigator: { userAgent: UA.linuxFirefox },
      isSecureContext: true,
    });
    expect(result).toMatchObject({ ok: false, problem: 'no-webgpu' });
    expect(!result.ok && result.hint).toMatch(/Firefox does not turn WebGPU on here yet/);
  });
  it('no adapter in Linux Chromium: the flag', async () => {
    const result = await checkWebGPU({
      navigator: { userAgent: UA.linuxChromium, gpu: { requestAdapter: async () => null } },
      isSecureContext: true,
    });
    expect(result).toMatchObject({ ok: false, problem: 'no-adapter' });
    expect(!result.ok && result.hint).toContain('chrome://flags/#enable-unsafe-webgpu');
  });
});

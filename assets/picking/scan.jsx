// The picker's phone: a keyboard-wedge listener (a hardware scanner types the code and
// Enter; no field needs focus), the camera scanner (barcode-detector, ZXing in
// WebAssembly, bundled: no CDN), loud feedback (sound and vibration) and the service
// worker that makes the page installable. The server decides what a scan means.
import React, { useEffect, useRef, useState } from "react";
import { BarcodeDetector, prepareZXingModule } from "barcode-detector/ponyfill";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

prepareZXingModule({
  overrides: {
    locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasmUrl : prefix + path),
  },
});

const FORMATS = ["ean_13", "ean_8", "upc_a", "upc_e", "code_128", "code_39", "qr_code"];
const MAX_GAP_MS = 1500; // a pause longer than this starts a new code

function typingInAField(target) {
  if (!target || !target.tagName) return false;
  const tag = target.tagName.toLowerCase();
  return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
}

export function KeyboardWedge({ onScan }) {
  const buffer = useRef("");
  const last = useRef(0);
  useEffect(() => {
    function onKey(e) {
      if (typingInAField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const now = Date.now();
      if (now - last.current > MAX_GAP_MS) buffer.current = "";
      last.current = now;
      if (e.key === "Enter") {
        const code = buffer.current.trim();
        buffer.current = "";
        if (code.length >= 1) {
          e.preventDefault();
          onScan && onScan(code);
        }
        return;
      }
      if (e.key.length === 1) {
        buffer.current = (buffer.current + e.key).slice(-64);
        e.preventDefault();
      }
    }
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [onScan]);
  return null;
}

let audio = null;
function beep(kind) {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const tones = kind === "error" ? [[220, 0.18], [160, 0.3]] : kind === "done" ? [[880, 0.08], [1320, 0.15]] : [[1040, 0.07]];
    let t = audio.currentTime;
    for (const [freq, dur] of tones) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = kind === "error" ? "square" : "sine";
      osc.frequency.value = freq;
      gain.gain.value = kind === "error" ? 0.5 : 0.25;
      osc.connect(gain).connect(audio.destination);
      osc.start(t);
      osc.stop(t + dur);
      t += dur;
    }
  } catch (err) {
    /* no audio on this device */
  }
}

export function ScanFeedback({ seq, kind }) {
  const seen = useRef(seq);
  useEffect(() => {
    if (seq === seen.current) return;
    seen.current = seq;
    beep(kind);
    if (navigator.vibrate) navigator.vibrate(kind === "error" ? [250, 100, 250, 100, 250] : kind === "done" ? [80, 60, 80] : 40);
    document.body.dataset.scanFeedback = kind + ":" + seq; // for tests and screen readers
  }, [seq, kind]);
  return null;
}

export function CameraScanner({ onScan, active }) {
  const video = useRef(null);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  useEffect(() => {
    if (!active) return undefined;
    let stream = null;
    let timer = null;
    let stopped = false;
    let lastCode = "";
    let lastAt = 0;
    const detector = new BarcodeDetector({ formats: FORMATS });
    async function start() {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 } },
          audio: false,
        });
        if (stopped) return;
        video.current.srcObject = stream;
        await video.current.play();
        setStatus("scanning");
        tick();
      } catch (err) {
        setError("No camera: " + (err && err.message ? err.message : err));
      }
    }
    async function tick() {
      if (stopped) return;
      try {
        if (video.current && video.current.readyState >= 2) {
          const found = await detector.detect(video.current);
          const now = Date.now();
          for (const code of found) {
            const value = code.rawValue;
            if (value && (value !== lastCode || now - lastAt > 2000)) {
              lastCode = value;
              lastAt = now;
              onScan && onScan(value);
              break;
            }
          }
        }
      } catch (err) {
        setError("Camera scan failed: " + (err && err.message ? err.message : err));
      }
      timer = setTimeout(tick, 200);
    }
    start();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (stream) stream.getTracks().forEach((t) => t.stop());
    };
  }, [active, onScan]);
  if (!active) return null;
  return (
    <div className="pick-camera" data-status={status}>
      <video ref={video} muted playsInline style={{ width: "100%", borderRadius: 12, background: "#000", maxHeight: "40vh", objectFit: "cover" }} />
      {error ? <div className="pick-camera-error" style={{ color: "var(--red-11)", fontWeight: 600 }}>{error}</div> : null}
    </div>
  );
}

export function PwaSetup() {
  useEffect(() => {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/picking-sw.js", { scope: "/picking" }).catch(() => {});
    }
  }, []);
  return (
    <>
      <link rel="manifest" href="/picking/manifest.webmanifest" />
      <meta name="theme-color" content="#1f6f43" />
      <meta name="mobile-web-app-capable" content="yes" />
      <link rel="apple-touch-icon" href="/picking/icon-192.png" />
    </>
  );
}

// The board's lanes and cards (drag and drop with @hello-pangea/dnd, mouse and keyboard)
// and the wall screen. Wrapped in dashboard/components/kanban as NoSSR components: the
// server sends the lanes as plain data; this file only draws them and reports drops,
// clicks and scrolling. Every decision is taken on the server.
import React, { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { DragDropContext, Draggable, Droppable } from "@hello-pangea/dnd";
import {
  BellOff,
  BellRing,
  Clock,
  MapPin,
  MapPinOff,
  PackageOpen,
  PackageX,
  StickyNote,
  Store,
  TriangleAlert,
  Truck,
} from "lucide-react";

const FLAGS = {
  note: { icon: StickyNote, label: "Note", tone: "gray" },
  address: { icon: MapPinOff, label: "Address problem", tone: "red" },
  address_unchecked: { icon: MapPin, label: "Address not checked", tone: "amber" },
  stock_short: { icon: PackageX, label: "Stock short", tone: "red" },
  part_shipped: { icon: PackageOpen, label: "Part-shipped", tone: "blue" },
  overdue: { icon: Clock, label: "Payment overdue", tone: "red" },
  payment_flag: { icon: TriangleAlert, label: "Payment flagged", tone: "amber" },
};
const FRESH_MS = 120000; // a card placed this recently arrives highlighted
const HIGHLIGHT_MS = 8000;

const CSS = `
.kb-board{display:flex;gap:10px;align-items:flex-start;overflow-x:auto;padding-bottom:8px}
.kb-lane{flex:1 1 0;min-width:188px;max-width:340px;background:var(--gray-2);border:1px solid var(--gray-a4);
  border-radius:10px;display:flex;flex-direction:column;max-height:calc(100vh - 190px);transition:opacity .15s}
.kb-lane-blocked{opacity:.45}
.kb-lane-allowed{outline:2px dashed var(--accent-7);outline-offset:-2px}
.kb-lane-head{display:flex;flex-wrap:wrap;align-items:baseline;align-content:flex-start;column-gap:8px;row-gap:2px;padding:10px 12px 8px;border-bottom:1px solid var(--gray-a4);min-height:60px}
.kb-lane-title{font-weight:600;font-size:14px;color:var(--gray-12)}
.kb-lane-count{font-variant-numeric:tabular-nums;font-size:12px;font-weight:600;color:var(--gray-11);
  background:var(--gray-a4);border-radius:999px;padding:1px 8px}
.kb-lane-total{flex-basis:100%;font-size:12px;color:var(--gray-11);font-variant-numeric:tabular-nums;white-space:nowrap}
.kb-lane-body{padding:8px;overflow-y:auto;overflow-x:hidden;min-height:80px;flex:1;border-radius:0 0 10px 10px}
.kb-over{background:var(--accent-a3)}
.kb-card{background:var(--color-panel-solid);border:1px solid var(--gray-a5);border-left:4px solid var(--gray-a6);
  border-radius:8px;padding:8px 10px;margin-bottom:8px;cursor:grab;font-size:13px;color:var(--gray-12);
  box-shadow:0 1px 2px var(--gray-a3);user-select:none}
.kb-card:focus-visible{outline:2px solid var(--accent-8);outline-offset:1px}
.kb-card.kb-dragging{box-shadow:0 8px 24px var(--gray-a7);cursor:grabbing}
.kb-card.kb-amber{border-left-color:var(--amber-9)}
.kb-card.kb-red{border-left-color:var(--red-9)}
.kb-card.kb-pending{opacity:.6;border-style:dashed}
.kb-card.kb-fresh{animation:kb-arrive 1.2s ease-out 3}
@keyframes kb-arrive{0%{box-shadow:0 0 0 0 var(--accent-8)}100%{box-shadow:0 0 0 10px transparent}}
.kb-top{display:flex;align-items:center;gap:6px}
.kb-num{font-weight:700;font-family:var(--code-font-family);font-size:13px}
.kb-age{margin-left:auto;font-size:11px;color:var(--gray-11);font-variant-numeric:tabular-nums}
.kb-age.kb-amber{color:var(--amber-11);font-weight:600}.kb-age.kb-red{color:var(--red-11);font-weight:700}
.kb-mid{display:flex;align-items:baseline;gap:6px;margin-top:2px;min-width:0}
.kb-cust{flex:1;min-width:0;font-weight:500;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.kb-total{color:var(--gray-12);font-weight:600;font-variant-numeric:tabular-nums;white-space:nowrap}
.kb-meta{display:flex;gap:5px;align-items:center;margin-top:4px;color:var(--gray-11);font-size:12px;white-space:nowrap;min-width:0}
.kb-meta .kb-pm{overflow:hidden;text-overflow:ellipsis;min-width:0}
.kb-meta svg{flex:none}
.kb-dm{margin-left:auto;display:inline-flex}

.kb-flags{display:flex;flex-wrap:wrap;gap:4px;margin-top:6px}
.kb-flag{display:inline-flex;align-items:center;gap:3px;font-size:11px;border-radius:999px;padding:1px 7px}
.kb-flag-gray{background:var(--gray-a3);color:var(--gray-11)}.kb-flag-red{background:var(--red-a3);color:var(--red-11)}
.kb-flag-amber{background:var(--amber-a3);color:var(--amber-11)}.kb-flag-blue{background:var(--blue-a3);color:var(--blue-11)}
.kb-hold{margin-top:4px;font-size:12px;color:var(--orange-11);font-style:italic}
.kb-pick{margin-top:4px;font-size:12px;font-weight:600;color:var(--green-11)}
.kb-more{text-align:center;font-size:12px;color:var(--gray-10);padding:6px}
.kb-empty{text-align:center;font-size:12px;color:var(--gray-9);padding:18px 4px}
.wall{background:#0b0d12;color:#e8ebf2;height:100vh;box-sizing:border-box;overflow:hidden;display:flex;flex-direction:column;padding:20px 28px;font-family:var(--default-font-family)}
.wall-head{display:flex;align-items:baseline;gap:24px;margin-bottom:18px}
.wall-title{font-size:34px;font-weight:700;letter-spacing:-.01em}
.wall-clock{margin-left:auto;font-size:44px;font-weight:700;font-variant-numeric:tabular-nums}
.wall-sync{font-size:22px;color:#8ddf9b;font-variant-numeric:tabular-nums}
.wall-sync::before{content:"";display:inline-block;width:12px;height:12px;border-radius:50%;background:currentColor;margin-right:8px}
.wall-sync.wall-stale{color:#ff5d5d;font-weight:700}
.wall-lanes{flex:1;min-height:0;display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));grid-auto-rows:minmax(0,1fr);gap:16px}
.wall-lane{background:#151923;border-radius:14px;padding:14px 16px;display:flex;flex-direction:column;min-height:0;overflow:hidden}
.wall-lane-head{display:flex;align-items:flex-end;gap:12px;min-height:62px;border-bottom:1px solid #2a3040;padding-bottom:10px;margin-bottom:10px}
.wall-lane-title{font-size:24px;font-weight:600;line-height:1.15;color:#b8c0d4}
.wall-list{flex:1;min-height:0;overflow:hidden}
.wall-count{margin-left:auto;font-size:56px;font-weight:800;line-height:1;font-variant-numeric:tabular-nums}
.wall-card{display:grid;grid-template-columns:1fr auto;align-items:baseline;column-gap:10px;font-size:24px;
  padding:8px 12px;border-radius:8px;background:#1c2130;margin-bottom:8px;border-left:6px solid #3a4256}
.wall-card.kb-amber{border-left-color:#f5a524}.wall-card.kb-red{border-left-color:#ff4d4f}
.wall-card.kb-fresh{animation:wall-arrive 1.4s ease-out 4}
@keyframes wall-arrive{0%{background:#2f4a8a}100%{background:#1c2130}}
.wall-card .wall-num{font-weight:700;font-variant-numeric:tabular-nums}
.wall-card .wall-cust{grid-column:1 / -1;font-size:17px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:#9aa3b8}
.wall-card .wall-age{font-variant-numeric:tabular-nums;color:#9aa3b8;white-space:nowrap}
.wall-card .wall-age.kb-amber{color:#f5a524}.wall-card .wall-age.kb-red{color:#ff4d4f;font-weight:700}
.wall-page{font-size:16px;color:#8a93a8;text-align:right}
`;

function useStyles() {
  useEffect(() => {
    if (document.getElementById("kb-styles")) return;
    const el = document.createElement("style");
    el.id = "kb-styles";
    el.textContent = CSS;
    document.head.appendChild(el);
  }, []);
}

function useNow(intervalMs) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

export function ageLabel(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return m ? `${h}h ${m}m` : `${h}h`;
  }
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
  return h ? `${d}d ${h}h` : `${d}d`;
}

function level(card, now) {
  if (card.red && now >= card.red) return "kb-red";
  if (card.amber && now >= card.amber) return "kb-amber";
  return "";
}

// Cards that were not on screen before and were placed moments ago: highlight them (and
// chime, if asked). Nothing is highlighted on the first render or after a filter change.
function useArrivals(columns, chime, resetKey) {
  const seen = useRef(null);
  const [fresh, setFresh] = useState({});
  const key = useRef(resetKey);
  useEffect(() => {
    const all = [];
    for (const col of columns || []) for (const c of col.cards || []) all.push(c);
    if (seen.current === null || key.current !== resetKey) {
      seen.current = new Set(all.map((c) => c.n));
      key.current = resetKey;
      return;
    }
    const now = Date.now();
    const arrived = all.filter((c) => !seen.current.has(c.n) && now - (c.placed || 0) < FRESH_MS);
    for (const c of all) seen.current.add(c.n);
    if (!arrived.length) return;
    setFresh((f) => {
      const next = { ...f };
      for (const c of arrived) next[c.n] = now + HIGHLIGHT_MS;
      return next;
    });
    if (chime === true || (chime === "auto" && chimeOn())) playChime();
  }, [columns, chime, resetKey]);
  useEffect(() => {
    const ids = Object.keys(fresh);
    if (!ids.length) return undefined;
    const id = window.setTimeout(() => {
      const now = Date.now();
      setFresh((f) => Object.fromEntries(Object.entries(f).filter(([, until]) => until > now)));
    }, HIGHLIGHT_MS);
    return () => window.clearTimeout(id);
  }, [fresh]);
  return fresh;
}

const CHIME_KEY = "fulfil_board_chime";

function chimeOn() {
  try {
    return window.localStorage.getItem(CHIME_KEY) === "1";
  } catch (e) {
    return false;
  }
}

// The bell beside the board's filters: a preference of this browser, not of the account.
export function ChimeToggle() {
  const [on, setOn] = useState(false);
  useEffect(() => setOn(chimeOn()), []);
  const toggle = () => {
    const next = !on;
    try {
      window.localStorage.setItem(CHIME_KEY, next ? "1" : "0");
    } catch (e) {
      /* private mode: the choice lasts for this page only */
    }
    setOn(next);
    if (next) playChime(); // also unlocks audio, which browsers allow after a click
  };
  const Icon = on ? BellRing : BellOff;
  return (
    <button
      type="button"
      id="board-chime"
      onClick={toggle}
      aria-pressed={on}
      title={on ? "Chime on: a sound when a new order arrives" : "Chime off"}
      style={{ display: "inline-flex", alignItems: "center", gap: 6, padding: "5px 10px", borderRadius: 6,
        border: "1px solid var(--gray-a6)", background: on ? "var(--accent-a3)" : "transparent",
        color: "var(--gray-12)", cursor: "pointer", fontSize: 13 }}
    >
      <Icon size={14} aria-hidden="true" />
      Chime
    </button>
  );
}

let audio = null;
function playChime() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const t = audio.currentTime;
    [880, 1320].forEach((freq, i) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + i * 0.16);
      gain.gain.exponentialRampToValueAtTime(0.2, t + i * 0.16 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.16 + 0.3);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + i * 0.16);
      osc.stop(t + i * 0.16 + 0.32);
    });
  } catch (e) {
    /* no sound available: the highlight still shows */
  }
}

function Flags({ flags }) {
  if (!flags || !flags.length) return null;
  return (
    <div className="kb-flags">
      {flags.map((f) => {
        const spec = FLAGS[f];
        if (!spec) return null;
        const Icon = spec.icon;
        return (
          <span key={f} className={`kb-flag kb-flag-${spec.tone}`} title={spec.label} data-flag={f}>
            <Icon size={11} aria-hidden="true" />
            {spec.label}
          </span>
        );
      })}
    </div>
  );
}

const CARD_FIELDS = ["n", "cust", "items", "left", "total", "pm", "dm", "at", "amber", "red", "hold", "pick", "pending"];

function sameCard(a, b) {
  return CARD_FIELDS.every((k) => a[k] === b[k]) && (a.flags || []).join() === (b.flags || []).join();
}

// Memoised by content: the server sends fresh objects, but an unchanged card is not redrawn.
const CardBody = React.memo(
  function CardBody({ card, now }) {
    return <CardFace card={card} now={now} />;
  },
  (prev, next) => prev.now === next.now && sameCard(prev.card, next.card),
);

function CardFace({ card, now }) {
  const lvl = level(card, now);
  const Delivery = card.dm === "pickup" ? Store : Truck;
  return (
    <>
      <div className="kb-top">
        <span className="kb-num">#{card.n}</span>
        <span className={`kb-age ${lvl}`} title="Time in this lane">{ageLabel(now - card.at)}</span>
      </div>
      <div className="kb-mid">
        <span className="kb-cust" title={card.cust}>{card.cust}</span>
        <span className="kb-total">{card.total}</span>
      </div>
      <div className="kb-meta">
        <span>{card.items} {card.items === 1 ? "item" : "items"}</span>
        {card.left > 0 && card.left < card.items ? (
          <span className="kb-left" title="Still to ship">({card.left} left)</span>
        ) : null}
        <span>·</span>
        <span className="kb-pm" title={card.pm}>{card.pm}</span>
        <span className="kb-dm" title={card.dm === "pickup" ? "Click and collect" : "Courier"}>
          <Delivery size={13} aria-label={card.dm === "pickup" ? "Click and collect" : "Courier"} />
        </span>
      </div>
      {card.hold ? <div className="kb-hold">{card.hold}</div> : null}
      {card.pick ? <div className="kb-pick">{card.pick}</div> : null}
      <Flags flags={card.flags} />
    </>
  );
}

function LoadMore({ onVisible, root, count }) {
  const ref = useRef(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === "undefined") return undefined;
    const io = new IntersectionObserver(
      (entries) => entries.some((e) => e.isIntersecting) && onVisible(),
      { root: root.current, rootMargin: "200px" },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [onVisible, root, count]);
  return <div ref={ref} className="kb-more">Loading more…</div>;
}

function withPending(columns, pending) {
  if (!pending) return columns;
  let moved = null;
  const stripped = columns.map((col) => {
    if (col.id !== pending.from) return col;
    const cards = col.cards.filter((c) => {
      if (c.n === pending.number) {
        moved = c;
        return false;
      }
      return true;
    });
    return { ...col, cards };
  });
  if (!moved) return columns;
  return stripped.map((col) => {
    if (col.id !== pending.to) return col;
    const cards = col.cards.slice();
    cards.splice(Math.min(pending.index, cards.length), 0, { ...moved, pending: true });
    return { ...col, cards };
  });
}

// The cards of a lane, memoised apart from the lane (the library's "inner list"): starting
// or ending a drag changes every lane's hint, but redraws no card.
const CardList = React.memo(function CardList({ laneId, cards, now, fresh, readOnly, onOpen }) {
  return cards.map((card, index) => (
    <Draggable
      key={card.n}
      draggableId={`card-${card.n}`}
      index={index}
      isDragDisabled={readOnly || !!card.pending}
    >
      {(p, s) => (
        <article
          ref={p.innerRef}
          {...p.draggableProps}
          {...p.dragHandleProps}
          className={[
            "kb-card",
            level(card, now),
            s.isDragging ? "kb-dragging" : "",
            card.pending ? "kb-pending" : "",
            fresh[card.n] ? "kb-fresh" : "",
          ].join(" ")}
          data-number={card.n}
          data-lane={laneId}
          aria-label={`Order ${card.n}, ${card.cust}`}
          onClick={() => onOpen && onOpen(card.n)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && onOpen) onOpen(card.n);
          }}
        >
          <CardBody card={card} now={now} />
        </article>
      )}
    </Draggable>
  ));
});

// Memoised: a lane whose data did not change is not drawn again when another lane is.
const Lane = React.memo(function Lane({ col, now, hint, fresh, readOnly, onOpen, onLoadMore }) {
  const body = useRef(null);
  const asked = useRef(-1);
  const more = useCallback(() => {
    if (asked.current === col.cards.length) return;
    asked.current = col.cards.length;
    onLoadMore && onLoadMore(col.id);
  }, [col.id, col.cards.length, onLoadMore]);
  const cls = "kb-lane" + (hint ? ` kb-lane-${hint}` : "");
  return (
    <section className={cls} data-lane={col.id} id={`lane-${col.id}`} aria-label={col.title}>
      <header className="kb-lane-head">
        <span className="kb-lane-title">{col.title}</span>
        <span className="kb-lane-count" data-count={col.count}>{col.count}</span>
        <span className="kb-lane-total">{col.total}</span>
      </header>
      <Droppable droppableId={col.id}>
        {(provided, snapshot) => (
          <div
            ref={(el) => {
              provided.innerRef(el);
              body.current = el;
            }}
            {...provided.droppableProps}
            className={`kb-lane-body${snapshot.isDraggingOver ? " kb-over" : ""}`}
          >
            <CardList laneId={col.id} cards={col.cards} now={now} fresh={fresh}
                      readOnly={readOnly} onOpen={onOpen} />
            {provided.placeholder}
            {col.cards.length === 0 && !snapshot.isDraggingOver ? (
              <div className="kb-empty">No orders</div>
            ) : null}
            {col.has_more ? <LoadMore onVisible={more} root={body} count={col.cards.length} /> : null}
          </div>
        )}
      </Droppable>
    </section>
  );
});

export function KanbanBoard({
  columns = [],
  revision = 0,
  readOnly = false,
  filterKey = "",
  onMove,
  onOpen,
  onLoadMore,
}) {
  useStyles();
  const now = useNow(15000);
  const [pending, setPending] = useState(null);
  const [dragging, setDragging] = useState(null);
  // The server answers every drop (moved, refused, or its dialog closed) with a new revision.
  useEffect(() => setPending(null), [revision]);
  // The same lane objects as long as the server did not change them (see Lane's memo).
  const lanes = useMemo(
    () => (columns || []).filter((c) => c && c.id).map((c) => (c.cards ? c : { ...c, cards: [] })),
    [columns],
  );
  // Reflex hands new handler functions on every render; keep stable ones for the lanes.
  const handlers = useRef({});
  handlers.current = { onMove, onOpen, onLoadMore };
  const open = useCallback((n) => handlers.current.onOpen && handlers.current.onOpen(n), []);
  const loadMore = useCallback(
    (lane) => handlers.current.onLoadMore && handlers.current.onLoadMore(lane), []);
  const view = useMemo(() => withPending(lanes, pending), [lanes, pending]);
  const fresh = useArrivals(lanes, "auto", filterKey);

  const onDragStart = useCallback(
    (start) => {
      const col = lanes.find((c) => c.id === start.source.droppableId);
      const card = col && col.cards.find((c) => `card-${c.n}` === start.draggableId);
      setDragging({ from: start.source.droppableId, allowed: (card && card.to) || [] });
    },
    [lanes],
  );
  const onDragEnd = useCallback(
    (result) => {
      setDragging(null);
      const { destination, source, draggableId } = result;
      if (!destination || destination.droppableId === source.droppableId) return;
      const number = Number(draggableId.slice(5));
      // Ask the server first; the card shows as pending in its new lane meanwhile.
      const move = handlers.current.onMove;
      move && move({ number, from: source.droppableId, to: destination.droppableId });
      setPending({ number, from: source.droppableId, to: destination.droppableId, index: destination.index });
    },
    [],
  );

  return (
    <DragDropContext onDragStart={onDragStart} onDragEnd={onDragEnd}>
      <div className="kb-board" data-revision={revision}>
        {view.map((col) => (
          <Lane
            key={col.id}
            col={col}
            now={now}
            hint={!dragging || dragging.from === col.id ? ""
              : dragging.allowed.includes(col.id) ? "allowed" : "blocked"}
            fresh={fresh}
            readOnly={readOnly}
            onOpen={open}
            onLoadMore={loadMore}
          />
        ))}
      </div>
    </DragDropContext>
  );
}

// --- the wall screen ---------------------------------------------------------------------

// How many cards fit the lane's list on this screen (`fallback` until it is measured).
function useFit(ref, fallback, hasCards) {
  const [fit, setFit] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return undefined;
    const measure = () => {
      const card = el.querySelector(".wall-card");
      if (!card) return;
      const gap = parseFloat(window.getComputedStyle(card).marginBottom) || 0;
      const each = card.getBoundingClientRect().height + gap;
      if (each > 0) setFit(Math.max(1, Math.floor((el.clientHeight + gap) / each)));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    return () => observer.disconnect();
  }, [ref, hasCards]);
  return fit;
}

function WallLane({ col, now, fresh, pageSize, cycleSeconds }) {
  const list = useRef(null);
  const fit = useFit(list, pageSize, col.cards.length > 0);
  const pages = Math.max(1, Math.ceil(col.cards.length / fit));
  const [page, setPage] = useState(0);
  useEffect(() => {
    if (pages <= 1) {
      setPage(0);
      return undefined;
    }
    const id = window.setInterval(() => setPage((p) => (p + 1) % pages), cycleSeconds * 1000);
    return () => window.clearInterval(id);
  }, [pages, cycleSeconds]);
  const shown = col.cards.slice((page % pages) * fit, (page % pages) * fit + fit);
  return (
    <section className="wall-lane" data-lane={col.id} id={`wall-${col.id}`}>
      <div className="wall-lane-head">
        <span className="wall-lane-title">{col.title}</span>
        <span className="wall-count" data-count={col.count}>{col.count}</span>
      </div>
      <div className="wall-list" ref={list}>
        {shown.map((card) => (
          <div
            key={card.n}
            className={`wall-card ${level(card, now)} ${fresh[card.n] ? "kb-fresh" : ""}`}
            data-number={card.n}
          >
            <span className="wall-num">#{card.n}</span>
            <span className={`wall-age ${level(card, now)}`}>{ageLabel(now - card.at)}</span>
            <span className="wall-cust">{card.line}</span>
          </div>
        ))}
      </div>
      {pages > 1 ? <div className="wall-page">{(page % pages) + 1} / {pages}</div> : null}
    </section>
  );
}

export function WallBoard({
  columns = [],
  title = "",
  lastSync = 0,
  staleSeconds = 15,
  pageSize = 6,
  cycleSeconds = 8,
  chime = false,
  timeZone = undefined,
}) {
  useStyles();
  const now = useNow(1000);
  // When this screen last heard from the server, by its own clock (no clock-skew).
  const [heardAt, setHeardAt] = useState(() => Date.now());
  useEffect(() => setHeardAt(Date.now()), [lastSync, columns]);
  const fresh = useArrivals(columns, chime, "");
  const quiet = Math.max(0, Math.floor((now - heardAt) / 1000));
  const stale = quiet >= staleSeconds;
  let clock;
  try {
    clock = new Date(now).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit",
                                                   hourCycle: "h23", timeZone: timeZone || undefined });
  } catch (e) {
    clock = new Date(now).toLocaleTimeString();
  }
  return (
    <div className="wall" id="wall">
      <div className="wall-head">
        <span className="wall-title">{title}</span>
        <span className={`wall-sync${stale ? " wall-stale" : ""}`} id="wall-sync" data-stale={stale ? "1" : "0"}>
          {stale ? `No updates for ${ageLabel(quiet * 1000)}` : quiet < 2 ? "Live" : `Updated ${quiet}s ago`}
        </span>
        <span className="wall-clock" id="wall-clock">{clock}</span>
      </div>
      <div className="wall-lanes">
        {(columns || []).map((col) => (
          <WallLane key={col.id} col={col} now={now} fresh={fresh} pageSize={pageSize} cycleSeconds={cycleSeconds} />
        ))}
      </div>
    </div>
  );
}

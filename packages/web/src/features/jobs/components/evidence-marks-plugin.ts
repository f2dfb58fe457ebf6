import uPlot from 'uplot';
import type { EvidenceMark } from '../lib/evidence-marks.ts';

const COLOR = 'rgba(124, 58, 237, 0.55)';
const HIGHLIGHT = '#c2410c';

export interface MarksState {
  marks: EvidenceMark[];
  /** The evidence item a person points at in the diagnosis panel, if any. */
  highlight: number | null;
}

/**
 * Draws the diagnosis evidence on the loss chart: a dashed vertical line at each step an
 * evidence item names, with the item's number on top (the same number the panel shows); the
 * item a person hovers or focuses in the panel is drawn bold and in another colour. Reads the
 * marks on every draw, so new evidence or a new highlight only needs a redraw. Tells how many
 * marks it drew (those inside the visible steps).
 */
export function evidenceMarksPlugin(state: () => MarksState, onDrawn: (drawn: number) => void): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u) => {
          const { marks, highlight } = state();
          const { ctx, bbox } = u;
          const px = uPlot.pxRatio;
          let drawn = 0;
          const labelsAt = new Map<number, number>(); // items marked at one x: numbers stack down
          ctx.save();
          ctx.font = `${11 * px}px system-ui, sans-serif`;
          ctx.textAlign = 'center';
          ctx.textBaseline = 'top';
          // The highlighted item last, so it sits on top of the others.
          const ordered = [...marks.filter((m) => m.item !== highlight), ...marks.filter((m) => m.item === highlight)];
          for (const m of ordered) {
            const x = Math.round(u.valToPos(m.step, 'x', true));
            if (!Number.isFinite(x) || x < bbox.left - 1 || x > bbox.left + bbox.width + 1) continue;
            const on = m.item === highlight;
            ctx.strokeStyle = on ? HIGHLIGHT : COLOR;
            ctx.fillStyle = on ? HIGHLIGHT : COLOR;
            ctx.lineWidth = (on ? 3 : 1.5) * px;
            ctx.setLineDash(on ? [] : [5 * px, 4 * px]);
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            const row = labelsAt.get(x) ?? 0;
            labelsAt.set(x, row + 1);
            ctx.fillText(String(m.item + 1), x + 8 * px, bbox.top + (2 + 13 * row) * px);
            drawn++;
          }
          ctx.restore();
          onDrawn(drawn);
        },
      ],
    },
  };
}


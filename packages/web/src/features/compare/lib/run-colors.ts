/** One colour per compared job (chart lines and table headers), all readable on white. */
export const RUN_COLORS = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#a21caf'] as const;

export const runColor = (index: number): string => RUN_COLORS[index % RUN_COLORS.length]!;

/**
 * The congestion rule of the road board (/roads), kept simple and documented:
 *
 * 1. A closed segment is CLOSED, whatever else is known.
 * 2. Probe speeds: the points matched to the segment (nearest segment within MATCH_DISTANCE_M,
 *    road-match.ts) recorded in the last {@link PROBE_WINDOW_MS}. Their median speed over the
 *    segment's speed limit gives the level: below 0.3 CONGESTED, below 0.6 SLOW, else FREE. No
 *    points: UNKNOWN.
 * 3. Residents' congestion reports on the segment in the last {@link REPORT_WINDOW_MS} that are
 *    not closed add their weight (1; 2 for a traffic monitor, monitors.ts). A total of at least
 *    {@link REPORT_SCORE_THRESHOLD} raises the level one step (UNKNOWN or FREE → SLOW, SLOW →
 *    CONGESTED): one monitor's report is enough, a single visitor's is not.
 */
export const PROBE_WINDOW_MS = 15 * 60 * 1000;
export const REPORT_WINDOW_MS = 60 * 60 * 1000;
export const REPORT_SCORE_THRESHOLD = 2;
export const CONGESTED_BELOW = 0.3;
export const SLOW_BELOW = 0.6;

export const CONGESTION_LEVELS = ["UNKNOWN", "FREE", "SLOW", "CONGESTED", "CLOSED"] as const;
export type TCongestionLevel = (typeof CONGESTION_LEVELS)[number];

export type TCongestionInput = {
  closed: boolean;
  speedLimitKmh: number;
  /** Speeds (km/h) of the segment's probe points within the window. */
  probeSpeedsKmh: readonly number[];
  /** Weights of the segment's open congestion reports within the window. */
  reportWeights: readonly number[];
};

export type TCongestion = {
  level: TCongestionLevel;
  medianSpeedKmh: number | null;
  probeCount: number;
  reportScore: number;
};

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function congestionOf(input: TCongestionInput): TCongestion {
  const medianSpeedKmh = median(input.probeSpeedsKmh);
  const reportScore = input.reportWeights.reduce((a, b) => a + b, 0);
  const base = { medianSpeedKmh, probeCount: input.probeSpeedsKmh.length, reportScore };
  if (input.closed) return { level: "CLOSED", ...base };
  let level: TCongestionLevel = "UNKNOWN";
  if (medianSpeedKmh !== null) {
    const ratio = medianSpeedKmh / input.speedLimitKmh;
    level = ratio < CONGESTED_BELOW ? "CONGESTED" : ratio < SLOW_BELOW ? "SLOW" : "FREE";
  }
  if (reportScore >= REPORT_SCORE_THRESHOLD) {
    level = level === "SLOW" || level === "CONGESTED" ? "CONGESTED" : "SLOW";
  }
  return { level, ...base };
}

// Download progress as one line: bytes, percent, rate and ETA.
import type { Progress } from '../download/types.js';

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(n: number): string {
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatProgress(p: Progress): string {
  const total = p.total ? ` / ${formatBytes(p.total)} (${((100 * p.received) / p.total).toFixed(0)}%)` : '';
  const eta = p.etaSeconds === undefined ? '' : `, ETA ${formatDuration(p.etaSeconds)}`;
  return `${p.file}: ${formatBytes(p.received)}${total} at ${formatBytes(p.bytesPerSecond)}/s${eta}`;
}

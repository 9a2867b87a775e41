// `kubenet cache` lists the shared download cache (size, digest, which download, last used, who
// links it); `kubenet cache prune [--older-than DAYS] [--all]` removes what no images/ folder
// links, and says what it kept and why.
import type { CacheEntry } from '../../download/cache/cache-entries.js';
import { ExitCode, KubenetError } from '../../errors.js';
import type { GuestArch } from '../../host/types.js';
import { formatBytes } from '../../runner/format-progress.js';
import { suggestions } from '../../suggestions.js';
import type { CommandInput } from '../command-input.js';
import { SharedCache } from '../../download/cache/shared-cache.js';
import { describeAge } from '../../download/cache/cache-entries.js';

const actions = ['list', 'prune'] as const;
const arches: readonly GuestArch[] = ['aarch64', 'x86_64'];
const defaultPruneDays = 30;

export async function cache({ line, options, graph, settings }: CommandInput<'cache'>): Promise<number> {
  const [action = 'list', ...extra] = line.words;
  if (!(actions as readonly string[]).includes(action) || extra.length) {
    const near = suggestions(action, actions);
    throw new KubenetError(
      `kubenet cache ${line.words.join(' ')}: not an ` +
        `action${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`,
      {
        code: ExitCode.usage,
        hint:
          'kubenet cache lists it; kubenet cache prune [--older-than ' +
          'DAYS] [--all] removes what no images/ folder links',
      },
    );
  }
  const pruning = action === 'prune';
  const olderThan = options['older-than'];
  if (!pruning && (olderThan !== undefined || options.all === true)) {
    throw new KubenetError(`${olderThan !== undefined ? '--older-than' : '--all'} goes with kubenet cache prune`, {
      code: ExitCode.usage,
      hint: 'kubenet cache prune --older-than 30',
    });
  }
  const days = olderThan ?? defaultPruneDays;
  const json = options.json === true;
  const from = settings.sources.cache ?? 'default';
  if (!settings.cache) {
    if (json) process.stdout.write(`${JSON.stringify({ cache: null, from }, null, 2)}\n`);
    else process.stdout.write(`the shared download cache is off (${from}): every images/ folder downloads its own\n`);
    return ExitCode.ok;
  }
  const store = new SharedCache(settings.cache);
  const downloads = await graph.downloads();
  // By the guide's name, or by the shape of one found elsewhere (the live ISO's released names).
  const downloadOf = (name?: string) =>
    downloads.find((d) =>
      arches.some(
        (a) => d.file(a) === name || (name !== undefined && (d.elsewhere?.(a) ?? []).some((p) => p.file.test(name))),
      ),
    )?.name;
  const row = (e: CacheEntry) => ({ ...e, download: downloadOf(e.name) ?? null });
  const ago = (ms: number) => describeAge((Date.now() - ms) / 86_400_000);
  const describe = (e: ReturnType<typeof row>) =>
    `${(e.download ?? '—').padEnd(9)} ${(e.name ?? '(not recorded)').padEnd(34)} ` +
    `${formatBytes(e.size).padStart(10)}  sha256:${e.sha256.slice(0, 16)}…  used ${ago(e.lastUsed)}`;

  if (!pruning) {
    const entries = (await store.entries()).map(row);
    if (json) {
      process.stdout.write(`${JSON.stringify({ cache: settings.cache, from, entries }, null, 2)}\n`);
      return ExitCode.ok;
    }
    const lines = [`shared download cache: ${settings.cache} (${from})`];
    for (const e of entries)
      lines.push(
        `  ${describe(e)}  ` +
          `${e.links ? `linked by ${e.links} other name${e.links === 1 ? '' : 's'}` : 'linked by no folder'}`,
      );
    const total = entries.reduce((n, e) => n + e.size, 0);
    lines.push(
      `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, ` +
        `${formatBytes(total)}. kubenet cache prune removes what no images/ folder ` +
        `links and was not used for ${defaultPruneDays} days (--older-than DAYS, --all).`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  }
  const outcomes = await store.prune({ olderThanDays: days, all: options.all === true });
  if (json) {
    process.stdout.write(
      JSON.stringify(
        { cache: settings.cache, outcomes: outcomes.map((o) => ({ ...row(o.entry), removed: o.removed, why: o.why })) },
        null,
        2,
      ) + '\n',
    );
    return ExitCode.ok;
  }
  const lines = outcomes.map((o) => `${o.removed ? 'removed' : 'kept   '}  ${describe(row(o.entry))}  ${o.why}`);
  const size = (removed: boolean) =>
    formatBytes(outcomes.filter((o) => o.removed === removed).reduce((n, o) => n + o.entry.size, 0));
  const removedCount = outcomes.filter((o) => o.removed).length;
  lines.push(
    `freed ${size(true)} (${removedCount} entr${removedCount === 1 ? 'y' : 'ies'}); ` +
      `kept ${size(false)} (${outcomes.length - removedCount})`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.ok;
}

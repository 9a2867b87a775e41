// Golden test: tasks 40–44, planned for the guide's two hosts, against chapter 4 as upstream
// publishes it (../shared/guide/upstream/{linux,macos}-04_…md), both editions. Every code block
// of the chapter is accounted for: each JSON file kubenet writes is the guide's byte for byte,
// each command is the guide's token for token (the blocks read by the edition's own shell, nothing
// run: test/helpers/guide-shell.ts; the scripts run as ./NAME.sh, so their $dir is the auth folder
// the commands run in), and where kubenet does a thing another way the test says which and checks
// that.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pipelineOf, type Command } from '../../lib/command.js';
import type { Edition } from '../../lib/host/types.js';
import { guideSide } from '../../lib/explain/sides.js';
import { planStep } from '../../lib/task/plan-step.js';
import type { StepPlan, Task } from '../../lib/task/types.js';
import { chapterTasks } from '../helpers/chapter-tasks.js';
import { pipelines as guidePipelines, type BlockRun } from '../helpers/guide-record.js';
import { inSandbox } from '../helpers/guide-shell.js';
import {
  blocksOf,
  hasGuideText,
  readChapter,
  whyCannotRead,
  whyNoGuideText,
  type Block,
  type GuideText,
} from '../helpers/guide-text.js';
import { skipUnless } from '../helpers/skip.js';

const test = suite('chapter 4 task files against the guide');
const chapter = chapterTasks.filter((t) => Number(t.name.slice(0, 2)) >= 40);
const missing = whyCannotRead() ?? '';

const editions: [Edition, 'x86_64' | 'aarch64'][] = [
  ['linux', 'x86_64'],
  ['macos', 'aarch64'],
];

async function plans(arch: 'x86_64' | 'aarch64'): Promise<Map<string, StepPlan>> {
  const side = guideSide(arch);
  const out = new Map<string, StepPlan>();
  for (const task of chapter)
    for (const step of task.steps)
      out.set(step.name, await planStep(task, step, { arch, hostOs: side.hostOs, facts: side.facts }));
  return out;
}

// A plan's commands as the guide's pipelines: argv arrays, a pipe splitting them.
const pipelines = (commands: readonly Command[]) => commands.map((c) => pipelineOf(c).map((s) => [s.exe, ...s.args]));
// The script's "$dir/ca.pem" is the auth folder's ca.pem: kubenet runs the commands there.
const inAuth = (run: BlockRun) =>
  guidePipelines(run.commands).map((p) => p.map((argv) => argv.map((w) => w.replace(/(^|=)\.\//, '$1'))));
const kubeconfigs = 'Generating kubeconfigs';
const isScript = (block: Block) => block.text.startsWith('#!');
// A script's name, from the paragraph that introduces it: "Let's save it as `genauth.sh` …".
function scriptName(block: Block): string {
  const name = [...block.before.matchAll(/`([\w-]+\.sh)`/g)].at(-1)?.[1];
  if (!name) throw new Error(`a script the guide does not name: ${block.before}`);
  return name;
}

// What each block does, as its reader's shell reads it: the terminal's blocks typed into one shell
// (zsh in the macOS edition; vmnames and the cd into auth/ live on from block to block), each script
// run by bash as ./NAME.sh, and the kubeconfig fragment where the guide says to add it, at the end
// of genauth.sh (its commands: those after genauth.sh's own). JSON blocks are files, not run.
function readBlocks(text: GuideText): (BlockRun | undefined)[] {
  const blocks = blocksOf(text);
  const typed = blocks.filter((b) => b.lang !== 'json' && !isScript(b) && b.heading !== kubeconfigs);
  const scripts = Object.fromEntries(blocks.filter(isScript).map((b) => [scriptName(b), b.text]));
  const fragment = blocks.find((b) => b.heading === kubeconfigs)!;
  const host = scriptName(fragment); // "You can add it to `genauth.sh`."
  const extended = `kubeconfigs-${host}`;
  scripts[extended] = `${scripts[host]}\n${fragment.text}`;
  const inTerminal = inSandbox({ shell: text.shell }, (box) => box.run(typed.map((b) => b.text)));
  const names = Object.keys(scripts);
  // genenckey.sh's key: kubenet draws the 32 bytes itself.
  const prints = { base64: 'RANDOM-KEY' };
  const results = inSandbox({ scripts, follow: names }, (box) =>
    box.run(
      names.map((n) => `./${n}`),
      { prints },
    ),
  );
  const ran = new Map(results.map((r, i) => [names[i]!, r]));
  const [alone, withFragment] = [ran.get(host)!.commands, ran.get(extended)!.commands];
  assert.equal(withFragment.slice(0, alone.length), alone, `${host} runs first, then the fragment`);
  return blocks.map((b) => {
    if (b.lang === 'json') return undefined;
    if (b === fragment) return { commands: withFragment.slice(alone.length), files: [] };
    return isScript(b) ? ran.get(scriptName(b)) : inTerminal[typed.indexOf(b)];
  });
}
// The file a JSON block is: "Create the `ca-csr.json` file:", "… file, the `ca-config.json`:".
const fileOf = (block: Block) => [...block.before.matchAll(/`([\w-]+\.json)`/g)].at(-1)?.[1];
const written = (plan: StepPlan | undefined, file: string) => plan?.files.find((f) => f.file === `auth/${file}`)?.text;

test("the chapter is tasks 40 to 44, its steps 23 to 36 in the guide's order, each titled as its section", async () => {
  assert.equal(
    chapter.map((t) => t.name),
    ['40-certificate-authority', '41-certificates', '42-kubeconfigs', '43-encryption-key', '44-deploy-auth'],
  );
  const steps = chapter.flatMap((t) => t.steps);
  assert.equal(
    steps.map((s) => s.step),
    Array.from({ length: 14 }, (_, i) => 23 + i),
  );
  if (skipUnless(hasGuideText(), whyNoGuideText())) return;
  for (const edition of ['linux', 'macos'] as const) {
    const headings = new Set(blocksOf(readChapter(edition, 4)).map((b) => b.heading.replaceAll('`', '')));
    for (const s of steps)
      assert.ok(headings.has(s.title), `${edition}: a section titled ${s.title}, with its commands`);
  }
});

for (const [edition, arch] of editions) {
  test(`${edition}: every block of chapter 4 is what kubenet writes or runs, or what it does another way`, async () => {
    if (skipUnless(missing === '', missing)) return;
    const text = readChapter(edition, 4);
    const blocks = blocksOf(text);
    const runs = readBlocks(text);
    const plan = await plans(arch);
    const seen = new Set<number>();
    const step = (name: string) => plan.get(name)!;
    const sections: Record<string, string> = {
      'Root Certificate Authority': 'root-ca',
      'The main Kubernetes API certificate': 'kubernetes-cert',
      'The admin user certificate': 'admin-cert',
      'The kube-scheduler certificate': 'kube-scheduler-cert',
      'The kube-controller-manager certificate': 'kube-controller-manager-cert',
      'The kube-proxy certificate': 'kube-proxy-cert',
      'The service account token signing certificate': 'service-account-cert',
      'CA configuration file': 'ca-config',
    };
    for (const [i, block] of blocks.entries()) {
      const heading = block.heading.replaceAll('`', '');
      if (block.lang === 'json') {
        // The request and configuration files: written by kubenet as the guide's, byte for byte.
        const file = fileOf(block)!;
        assert.ok(file, `block ${i} names its file`);
        assert.is(written(step(sections[heading]!), file), `${block.text}\n`, `auth/${file}`);
        seen.add(i);
        continue;
      }
      const run = runs[i]!;
      if (block.text.trim() === 'mkdir auth && cd auth') {
        // kubenet makes images/auth/ itself and runs every command of the chapter in it.
        assert.not.ok([...plan.values()].some((p) => p.commands.some((c) => c.exe === 'mkdir' || c.exe === 'cd')));
      } else if (sections[heading] && inAuth(run).length === 1) {
        assert.equal(pipelines(step(sections[heading]!).commands), inAuth(run), heading);
      } else if (heading === 'Worker node certificates' && run.files.length) {
        // The requests of every node, from the heredoc in a loop over vmnames.
        const nodes = step('node-certs');
        assert.equal(
          run.files.map((f) => f.name),
          nodes.files.map((f) => f.file.replace('auth/', '')),
        );
        for (const [k, f] of run.files.entries()) {
          const ours = nodes.files[k]!.text;
          if (edition === 'macos') assert.is(ours, f.text, f.name);
          else {
            // The Linux edition counts vmid from 0, so each node's request names the address of
            // the VM before it (control0 gets 192.168.1.10, the gateway's). kubenet writes each
            // node's own address, as the macOS edition does; nothing else differs.
            const own = /"(192\.168\.1\.(\d+))"/.exec(ours)!;
            assert.is(f.text, ours.replace(own[1]!, `192.168.1.${Number(own[2]) - 1}`), f.name);
          }
        }
      } else if (heading === 'Worker node certificates') {
        assert.equal(pipelines(step('node-certs').commands), inAuth(run), 'the loop over vmnames');
      } else if (heading === 'Scripting up') {
        // genauth.sh makes a new CA on every run; kubenet makes it once (step root-ca) and the rest
        // in the script's order.
        const [ca, ...rest] = inAuth(run);
        assert.equal([ca], pipelines(step('root-ca').commands));
        assert.equal(pipelines(step('scripting-up').commands), rest);
      } else if (heading === kubeconfigs) {
        assert.equal(pipelines(step('generate-kubeconfigs').commands), inAuth(run));
      } else if (heading === 'Generating cluster data encryption key') {
        // kubenet draws the 32 bytes itself and writes the same file (once: genenckey.sh makes a new
        // key on every run).
        const bytes = [[['head', '-c', '32', '/dev/urandom'], ['base64']]];
        assert.equal(inAuth(run), bytes, "the key's 32 random bytes: all the script runs");
        assert.is(run.files.length, 1);
        const ours = written(step('encryption-config'), 'encryption-config.yaml')!;
        const key = /secret: (\S+)/.exec(ours)![1]!;
        assert.is(Buffer.from(key, 'base64').length, 32);
        assert.is(ours.replace(key, 'RANDOM-KEY'), run.files[0]!.text);
        assert.is(run.files[0]!.name, 'encryption-config.yaml', 'beside the script: in auth/');
      } else if (heading === 'Distributing certificates and keys') {
        assert.equal(pipelines(step('distribute').commands), inAuth(run));
        const gateway = run.commands.some((c) => c.argv.at(-1) === 'ubuntu@gateway:~');
        assert.is(gateway, edition === 'linux', 'the gateway gets ca.pem in the Linux edition only');
      } else if (heading === 'Setting up local kubeconfig') {
        assert.equal(pipelines(step('local-kubeconfig').commands), inAuth(run));
      } else {
        assert.unreachable(`block ${i} (${heading}) is not accounted for:\n${block.text}`);
      }
      seen.add(i);
    }
    assert.is(seen.size, blocks.length, 'every block');
    assert.is(blocks.length, 23);
  });
}

test(
  'a cluster of another shape changes the requests, the ' + 'kubeconfigs and the copies accordingly — and nothing else',
  async () => {
    const side = guideSide('x86_64');
    const plan = async (name: string, settings = {}) => {
      const task = chapter.find((t) => t.steps.some((s) => s.name === name)) as Task;
      return planStep(task, task.steps.find((s) => s.name === name)!, {
        arch: 'x86_64',
        hostOs: side.hostOs,
        facts: side.facts,
        settings,
      });
    };
    const small = { cluster: { controls: 1, workers: 2, network: '10.9.8', domain: 'lab' } };
    const api = (await plan('kubernetes-cert', small)).files[0]!.text;
    assert.match(
      api,
      '"kubernetes.lab",\n    "10.9.8.21",\n    "control0",\n    "control0.lab",\n    "10.9.8.11",\n    "127.0.0.1"',
    );
    assert.not.match(api, 'control1');
    const nodes = await plan('node-certs', small);
    assert.equal(
      nodes.files.map((f) => f.file),
      ['auth/control0-csr.json', 'auth/worker0-csr.json', 'auth/worker1-csr.json'],
    );
    assert.match(nodes.files[2]!.text, '"worker1",\n    "worker1.lab",\n    "10.9.8.13"');
    const kubeconfigs = await plan('generate-kubeconfigs', small);
    assert.equal(
      kubeconfigs.commands.filter((c) => c.args[1] === 'use-context').map((c) => c.args.at(-1)),
      ['admin', 'kube-scheduler', 'kube-controller-manager', 'kube-proxy', 'control0', 'worker0', 'worker1'].map(
        (n) => `--kubeconfig=${n}.kubeconfig`,
      ),
    );
    const copies = await plan('distribute', small);
    assert.equal(
      copies.commands.map((c) => c.args.at(-1)),
      ['ubuntu@control0:~', 'ubuntu@worker0:~', 'ubuntu@worker1:~', 'ubuntu@gateway:~'],
    );
    // The requests that name nothing of the cluster are the same whatever its shape.
    assert.is((await plan('admin-cert', small)).files[0]!.text, (await plan('admin-cert')).files[0]!.text);
  },
);

test.run();

// Running a shell script on a node with the system's OpenSSH client: the user's ~/.ssh/config, agent
// and known hosts apply, as they would for a person. The script goes on stdin (`sh -s`), so templates
// need no quoting. One master connection per node (ControlMaster) makes each fault a round trip, not
// a handshake; `close` ends the masters, so no ssh process outlives the run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SshNode, SshNodesFile } from './nodes-file.ts';

export interface SshResult {
  code: number | null;
  output: string;
}

export class SshSessions {
  private readonly controlDir: string;

  constructor(private readonly config: Pick<SshNodesFile, 'identityFile' | 'sshOptions' | 'sudo'>) {
    // A short path: a control socket's path must fit in 108 bytes.
    this.controlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keos-ssh-'));
  }

  /** ssh's arguments for `node`, up to the destination. */
  private args(node: SshNode, persist = true): string[] {
    const options = [
      'BatchMode=yes', 'ConnectTimeout=10', 'ServerAliveInterval=5', 'ServerAliveCountMax=3',
      ...(persist ? [`ControlMaster=auto`, `ControlPath=${this.controlDir}/%C`, 'ControlPersist=60'] : []),
      ...this.config.sshOptions,
    ];
    return [
      ...options.flatMap((o) => ['-o', o]),
      ...(this.config.identityFile ? ['-i', this.config.identityFile, '-o', 'IdentitiesOnly=yes'] : []),
      '-p', String(node.port),
      node.user ? `${node.user}@${node.host}` : node.host,
    ];
  }

  /** Runs `script` on `node` with sh (through sudo -n when the file says so); never rejects. */
  run(node: SshNode, script: string, timeoutMs = 30_000): Promise<SshResult> {
    const remote = this.config.sudo ? ['sudo', '-n', 'sh', '-s'] : ['sh', '-s'];
    return new Promise((resolve) => {
      const child = spawn('ssh', [...this.args(node), '--', ...remote], { stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      const take = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-8_000); };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      const timer = setTimeout(() => { output += `\n(no answer within ${timeoutMs / 1000} s)`; child.kill('SIGKILL'); }, timeoutMs);
      child.on('error', (error) => { clearTimeout(timer); resolve({ code: null, output: `cannot run ssh: ${error.message}` }); });
      child.on('close', (code) => { clearTimeout(timer); resolve({ code, output }); });
      child.stdin.on('error', () => undefined);
      child.stdin.end(`${script}\n`);
    });
  }

  /** Like `run`, but a failure is an Error naming the node and ssh's last words. */
  async must(node: SshNode, script: string, what: string, timeoutMs?: number): Promise<string> {
    const r = await this.run(node, script, timeoutMs);
    if (r.code !== 0) {
      const said = r.output.trim().split('\n').filter(Boolean).slice(-3).join(' / ') || '(nothing)';
      throw new Error(`${what} on node ${node.id} (${node.user ? `${node.user}@` : ''}${node.host}) failed with exit ${r.code ?? 'none'}: ${said}`);
    }
    return r.output;
  }

  /** Ends every master connection and removes their sockets. */
  async close(nodes: readonly SshNode[]): Promise<void> {
    await Promise.all(nodes.map((node) => new Promise<void>((resolve) => {
      const child = spawn('ssh', ['-o', `ControlPath=${this.controlDir}/%C`, '-O', 'exit', ...this.args(node, false)], { stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.on('error', () => { clearTimeout(timer); resolve(); });
      child.on('close', () => { clearTimeout(timer); resolve(); });
    })));
    fs.rmSync(this.controlDir, { recursive: true, force: true });
  }
}

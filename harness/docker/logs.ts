// Reading a container's output as text. Docker multiplexes stdout and stderr into frames with an
// 8-byte header when the container has no TTY; people want the lines, not the frames.
import { dockerode } from './engine.ts';

export async function containerLogs(containerId: string, tail?: number): Promise<string> {
  const docker = await dockerode();
  const raw = await docker.getContainer(containerId).logs({ stdout: true, stderr: true, follow: false, ...(tail ? { tail } : {}) });
  return demuxDockerLog(raw as unknown as Buffer);
}

export function demuxDockerLog(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length && (raw[offset] === 1 || raw[offset] === 2) && raw[offset + 1] === 0) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return (offset === 0 ? raw : Buffer.concat(parts)).toString('utf8').trimEnd();
}

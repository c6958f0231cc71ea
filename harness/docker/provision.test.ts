// When `run` and `cluster up` may start a Docker engine themselves (a fresh Debian machine, as root), and
// when they must not (someone else's engine named in DOCKER_HOST, no root, opted out, not Linux).
import { describe, expect, it } from 'vitest';
import { mayProvision, type Host } from './provision.ts';

const debianRoot: Host = { env: {}, platform: 'linux', uid: 0, exists: () => true };

describe('mayProvision', () => {
  it('a fresh Debian machine, as root: yes', () => {
    expect(mayProvision(debianRoot)).toBe(true);
    expect(mayProvision({ ...debianRoot, env: { DOCKER_HOST: 'unix:///var/run/docker.sock' } })).toBe(true);
  });

  it.each([
    [{ env: { KAFKA_EOS_NO_PROVISION: '1' } }, 'KAFKA_EOS_NO_PROVISION=1'],
    [{ env: { DOCKER_HOST: 'tcp://build-host:2375' } }, 'DOCKER_HOST=tcp://build-host:2375 names an engine of your own'],
    [{ uid: 1000 }, 'installing or starting dockerd needs root'],
    [{ platform: 'darwin' as const }, 'this is darwin, the script is for Linux'],
    [{ exists: (p: string) => p.endsWith('provision-docker.sh') }, 'neither apt-get nor dockerd is on this machine'],
  ])('%j: no, and says why', (change, why) => {
    expect(mayProvision({ ...debianRoot, ...change })).toBe(why);
  });
});

// What the nightly's image cache is keyed on and what it saves: the Kafka version a leg runs (the
// harness' default, the newest 4.x, unless the leg names one) and the two images the harness builds
// for it (the Debian/JRE base and Kafka on top). The workflow adds the hash of the build inputs
// (scripts/build-kafka-image.sh, harness/docker/); a change to any of them builds afresh.
import { BASE_IMAGE, DEFAULT_KAFKA_VERSION, ownImageTag } from '../../docker/image.ts';

export interface ImagePlan {
  version: string;
  /** Image names for `docker save` / `docker image inspect`, space-separated. */
  images: string;
  /** A cache-key part naming exactly those images. */
  key: string;
}

export function imagePlan(kafkaVersion: string | undefined): ImagePlan {
  const version = kafkaVersion && kafkaVersion.trim() !== '' ? kafkaVersion.trim() : DEFAULT_KAFKA_VERSION;
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`nightly: '${version}' is not a Kafka release such as ${DEFAULT_KAFKA_VERSION}`);
  const images = [BASE_IMAGE, ownImageTag(version)];
  return { version, images: images.join(' '), key: images.join('+').replace(/[^A-Za-z0-9.+-]/g, '_') };
}

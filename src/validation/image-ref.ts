import { InputError, quoted } from './errors.js';
import { required } from './primitives.js';

export interface ImageRef {
  /** The reference exactly as it will be used on the runner. */
  ref: string;
  repository: string;
  digest?: string;
  tag?: string;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const HOST =
  '(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\\d{1,5})?)';
const REPOSITORY = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * An OCI image reference pinned by digest: `registry/repo@sha256:<64 lowercase hex>`. A tag (mutable)
 * is refused unless allowTag is set for development; a short or empty digest is always refused.
 */
export function parseImageRef(input: string, raw: string, allowTag: boolean): ImageRef {
  const value = required(input, raw);
  const at = value.indexOf('@');
  if (at >= 0) {
    const name = value.slice(0, at);
    const digest = value.slice(at + 1);
    if (!DIGEST.test(digest)) {
      throw new InputError(
        input,
        `${quoted(raw)} has digest ${quoted(digest)}; expected sha256: followed by 64 lowercase hex characters`,
      );
    }
    const { repository, tag } = splitTag(input, raw, name);
    return { ref: value, repository, digest, ...(tag ? { tag } : {}) };
  }
  const { repository, tag } = splitTag(input, raw, value);
  if (!allowTag) {
    throw new InputError(
      input,
      `${quoted(raw)} is not pinned by digest; use registry/repo@sha256:<64 hex> (a tag is allowed only with allow-image-tag=true, for development)`,
    );
  }
  return { ref: value, repository, tag: tag ?? 'latest' };
}

function splitTag(input: string, raw: string, name: string): { repository: string; tag?: string } {
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > slash;
  const repository = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : undefined;
  if (!REPOSITORY.test(repository) || (tag !== undefined && !TAG.test(tag))) {
    throw new InputError(
      input,
      `${quoted(raw)} is not an image reference like registry.example.com/team/app@sha256:<64 hex>`,
    );
  }
  return { repository, tag };
}

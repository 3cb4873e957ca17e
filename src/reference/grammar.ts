/**
 * The lexical pieces of the reference grammar, each checked on its own so no single regular
 * expression has to backtrack over a whole reference.
 */

/** Longest repository name (domain and path together) a reference may have. */
export const MAX_NAME_LENGTH = 255;

/** Longest tag a reference may have. */
export const MAX_TAG_LENGTH = 128;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DOMAIN = new RegExp(`^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = new RegExp(`^\\w[\\w.-]{0,${MAX_TAG_LENGTH - 1}}$`);
const IMAGE_ID = /^[a-f0-9]{64}$/;
const ASCII_UPPER = /[A-Z]/;

/** Reports whether `s` is one `/`-separated component of a repository path, such as `my-app`. */
export const isValidPathComponent = (s: string): boolean => PATH_COMPONENT.test(s);

/** Reports whether `s` is a registry host with optional port: DNS-like name, IPv4, or `[IPv6]`. */
export const isValidDomain = (s: string): boolean => DOMAIN.test(s);

/** Reports whether `s` is a valid tag: a word character, then up to 127 word characters, `.` or `-`. */
export const isValidTag = (s: string): boolean => TAG.test(s);

/** Reports whether `s` is 64 lowercase hex characters, the form of a bare image ID. */
export const isImageId = (s: string): boolean => IMAGE_ID.test(s);

/** Reports whether `s` contains an ASCII capital letter. */
export const hasUpperCase = (s: string): boolean => ASCII_UPPER.test(s);

/** Lower-cases ASCII letters only, leaving every other character as it is. */
export const asciiLowerCase = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/**
 * The named character classes of Go's regexp syntax: Perl classes (`\d`), POSIX classes
 * (`[:alpha:]`, all ASCII) and Unicode classes (`\pL`, `\p{Greek}`), the latter mapped to
 * JavaScript `v`-mode property escapes.
 */
import { type CodePointSet, normalize } from './char-set.js';

const ranges = (...bounds: readonly (readonly [string, string])[]): CodePointSet =>
  normalize(bounds.flatMap(([lo, hi]) => [lo.codePointAt(0) ?? 0, hi.codePointAt(0) ?? 0]));

const DIGIT = ranges(['0', '9']);
const WORD = ranges(['0', '9'], ['A', 'Z'], ['a', 'z'], ['_', '_']);

/** `\d \s \w` (ASCII only in Go); upper-case letters are the negations. */
export const PERL_CLASSES: ReadonlyMap<string, CodePointSet> = new Map([
  ['d', DIGIT],
  ['s', ranges(['\t', '\n'], ['\f', '\r'], [' ', ' '])],
  ['w', WORD],
]);

/** The POSIX classes Go accepts inside brackets, as in `[[:alpha:]]` / `[[:^alpha:]]`. */
export const POSIX_CLASSES: ReadonlyMap<string, CodePointSet> = new Map([
  ['alnum', ranges(['0', '9'], ['A', 'Z'], ['a', 'z'])],
  ['alpha', ranges(['A', 'Z'], ['a', 'z'])],
  ['ascii', ranges(['\u0000', '\u007f'])],
  ['blank', ranges(['\t', '\t'], [' ', ' '])],
  ['cntrl', ranges(['\u0000', '\u001f'], ['\u007f', '\u007f'])],
  ['digit', DIGIT],
  ['graph', ranges(['!', '~'])],
  ['lower', ranges(['a', 'z'])],
  ['print', ranges([' ', '~'])],
  ['punct', ranges(['!', '/'], [':', '@'], ['[', '`'], ['{', '~'])],
  ['space', ranges(['\t', '\r'], [' ', ' '])],
  ['upper', ranges(['A', 'Z'])],
  ['word', WORD],
  ['xdigit', ranges(['0', '9'], ['A', 'F'], ['a', 'f'])],
]);

/** Go's `unicode.Categories` keys. */
const CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

/** Go's `unicode.Scripts` keys (Unicode 15.0, Go 1.21 and later). */
const SCRIPTS = new Set(
  `Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki
  Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee
  Chorasmian Common Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan
  Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi
  Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew Hiragana Imperial_Aramaic Inherited
  Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kawi Kayah_Li Kharoshthi
  Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani
  Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui
  Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari
  New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian
  Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong
  Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian
  Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le
  Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai
  Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square`.split(/\s+/),
);

/** How a `\p{name}` resolves. */
export type UnicodeClassLookup =
  /** `operand` is a `v`-mode class-set operand denoting the class. */
  | { readonly kind: 'ok'; readonly operand: string }
  /** Go does not know the name. */
  | { readonly kind: 'unknown' }
  /** Go knows the name but this JavaScript runtime has no such property. */
  | { readonly kind: 'unsupported' };

const supported = new Map<string, boolean>();
const runtimeSupports = (operand: string): boolean => {
  let ok = supported.get(operand);
  if (ok === undefined) {
    try {
      new RegExp(`[${operand}]`, 'v');
      ok = true;
    } catch {
      ok = false;
    }
    supported.set(operand, ok);
  }
  return ok;
};

/**
 * Resolves a Unicode class name the way Go's regexp does (exact spelling): `Any`, a general
 * category (`C` means Cc|Cf|Co|Cs, without unassigned code points, as in Go's tables) or a script.
 */
export function lookupUnicodeClass(name: string): UnicodeClassLookup {
  let operand: string;
  if (name === 'Any') operand = '[\\u{0}-\\u{10ffff}]';
  else if (name === 'C') operand = '[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}]';
  else if (CATEGORIES.has(name)) operand = `\\p{${name}}`;
  else if (SCRIPTS.has(name)) operand = `\\p{Script=${name}}`;
  else return { kind: 'unknown' };
  return runtimeSupports(operand) ? { kind: 'ok', operand } : { kind: 'unsupported' };
}

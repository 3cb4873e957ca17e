/** Why a regular expression was refused. */

/**
 * A pattern that Go itself rejects (`invalid: true`, message in Go's words, e.g.
 * "error parsing regexp: missing closing ): `(a`"), or one Go accepts but this translation cannot
 * reproduce exactly in JavaScript (`invalid: false`, message starting "regexp not supported").
 */
export class RegexpError extends Error {
  /** True when Go rejects the pattern too. */
  readonly invalid: boolean;

  private constructor(message: string, invalid: boolean) {
    super(message);
    this.name = 'RegexpError';
    this.invalid = invalid;
  }

  /** A syntax error as Go reports it: its error code and the offending part of the pattern. */
  static syntax(code: string, expr: string): RegexpError {
    return new RegexpError(`error parsing regexp: ${code}: \`${expr}\``, true);
  }

  /** A valid Go pattern this implementation refuses, with the reason. */
  static unsupported(reason: string): RegexpError {
    return new RegexpError(`regexp not supported: ${reason}`, false);
  }
}

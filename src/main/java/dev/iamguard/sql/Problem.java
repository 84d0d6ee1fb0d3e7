package dev.iamguard.sql;

/**
 * Why part of a statement could not be understood. The reason never quotes a literal's value, so
 * it is safe to print even when the literal held a secret.
 *
 * @param kind what went wrong
 * @param offset source offset of the token where it went wrong
 * @param reason a sentence for people
 */
public record Problem(Kind kind, int offset, String reason) {
  /** The two ways an auth clause fails before any policy is applied. */
  public enum Kind {
    /** The clause has an auth shape but cannot be parsed (unterminated, wrong value type, missing value). */
    UNPARSEABLE,
    /** A bind parameter stands where a role, key or S3 location must be. */
    PARAMETER
  }
}

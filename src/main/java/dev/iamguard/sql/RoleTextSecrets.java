package dev.iamguard.sql;

/**
 * Masks the values of {@code name=value} parts that name a key, secret or token inside a text read as
 * roles (an IAM_ROLE or CATALOG_ROLE chain, the roles of {@code aws_iam_role=} in CREDENTIALS, a
 * GRANT ASSUMEROLE role): {@code 'arn:aws:iam::123456789012:role/R,aws_access_key_id=AK..;aws_secret_access_key=wJ..'}
 * is read as one role whose text every report, message and audit line would quote. Such a text is no
 * role Redshift can assume, so the statement is refused, and what it held is never kept.
 *
 * <p>A name is a secret's when it is a secret keyword or near one, or holds one of their stems
 * ({@link SecretKeywordLookalike}); the value ends at {@code ;}, {@code ,}, {@code &}, a quote or
 * white space. Role names may hold {@code =} themselves ({@code role/a=b}): those stay as written.
 */
final class RoleTextSecrets {
  /** What a masked value reads as. */
  static final String MASK = "***";

  private RoleTextSecrets() {}

  /** {@code roles} with every secret value masked; the same string when it holds none (most texts: no {@code =}). */
  static String masked(String roles) {
    int equals = roles.indexOf('=');
    if (equals < 0) {
      return roles;
    }
    StringBuilder out = null;
    int copied = 0;
    for (; equals >= 0; equals = roles.indexOf('=', equals + 1)) {
      int nameEnd = equals;
      while (nameEnd > 0 && roles.charAt(nameEnd - 1) == ' ') {
        nameEnd--;
      }
      int nameStart = nameEnd;
      while (nameStart > 0 && isNameChar(roles.charAt(nameStart - 1))) {
        nameStart--;
      }
      if (nameStart == nameEnd || nameStart < copied
          || SecretKeywordLookalike.likeness(roles, nameStart, nameEnd) == SecretKeywordLookalike.UNLIKE) {
        continue;
      }
      int valueStart = equals + 1;
      while (valueStart < roles.length() && roles.charAt(valueStart) == ' ') {
        valueStart++;
      }
      int valueEnd = valueStart;
      while (valueEnd < roles.length() && !endsValue(roles.charAt(valueEnd))) {
        valueEnd++;
      }
      if (out == null) {
        out = new StringBuilder(roles.length());
      }
      out.append(roles, copied, valueStart).append(MASK);
      copied = valueEnd;
      equals = Math.max(equals, valueEnd - 1);
    }
    return out == null ? roles : out.append(roles, copied, roles.length()).toString();
  }

  private static boolean isNameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
  }

  private static boolean endsValue(char c) {
    return c == ';' || c == ',' || c == '&' || c == '\'' || c == '"' || Character.isWhitespace(c);
  }
}

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

  /**
   * {@code roles} with every secret value masked; the same string when it holds none (most texts:
   * no {@code =}, and no {@code name:} part where a part starts).
   */
  static String masked(String roles) {
    return masked(roles, true);
  }

  /**
   * {@code pathSegments} false: a {@code name=value} that is a path segment ({@code /token=2026-01/},
   * a partition folder of a location) is kept, as in a message quoting a location.
   */
  static String masked(String roles, boolean pathSegments) {
    java.util.List<Span> found = spans(roles, 0, pathSegments);
    return found.isEmpty() ? roles : Span.masked(roles, found, MASK);
  }

  /**
   * The secret values of {@code roles} (see {@link #masked}), in order, shifted by {@code offset}.
   * A name may stand in double quotes, as JSON writes it ({@code {"SecretAccessKey":"wJ.."}}, what
   * {@code aws sts} prints, pasted whole).
   */
  static java.util.List<Span> spans(String roles, int offset) {
    return spans(roles, offset, true);
  }

  private static java.util.List<Span> spans(String roles, int offset, boolean pathSegments) {
    if (roles.indexOf('=') < 0 && !secretNameBeforeColon(roles)) {
      return java.util.List.of();
    }
    java.util.List<Span> found = new java.util.ArrayList<>(1);
    int copied = 0;
    for (int at = 0; at < roles.length(); at++) {
      char c = roles.charAt(at);
      if (c != '=' && c != ':') {
        continue;
      }
      int nameEnd = at;
      while (nameEnd > 0 && roles.charAt(nameEnd - 1) == ' ') {
        nameEnd--;
      }
      boolean quoted = nameEnd > 0 && roles.charAt(nameEnd - 1) == '"';
      if (quoted) {
        nameEnd--;
      }
      int nameStart = nameEnd;
      while (nameStart > 0 && isNameChar(roles.charAt(nameStart - 1))) {
        nameStart--;
      }
      int partStart = quoted && nameStart > 0 && roles.charAt(nameStart - 1) == '"' ? nameStart - 1 : nameStart;
      if (nameStart == nameEnd || nameStart < copied || c == ':' && !partStartsAt(roles, partStart)
          || !pathSegments && c == '=' && nameStart > 0 && roles.charAt(nameStart - 1) == '/'
          || SecretKeywordLookalike.likeness(roles, nameStart, nameEnd) == SecretKeywordLookalike.UNLIKE) {
        continue;
      }
      int valueStart = at + 1;
      while (valueStart < roles.length() && (roles.charAt(valueStart) == ' ' || roles.charAt(valueStart) == '"')) {
        valueStart++;
      }
      int valueEnd = valueStart;
      while (valueEnd < roles.length() && !endsValue(roles.charAt(valueEnd))) {
        valueEnd++;
      }
      found.add(new Span(offset + valueStart, offset + valueEnd));
      copied = valueEnd;
      at = Math.max(at, valueEnd - 1);
    }
    return found;
  }

  /**
   * Whether a part of {@code roles} (the text, or what follows a {@code ,} or {@code ;}) starts with
   * a secret's name and a colon ({@code aws_secret_access_key:...}, a CREDENTIALS key mistyped): a
   * colon elsewhere belongs to an ARN, whose parts ({@code arn}, {@code aws}, an account) are no
   * such names.
   */
  static boolean secretNameBeforeColon(String roles) {
    if (nameBeforeColon(roles, 0)) {
      return true;
    }
    // the parts' separators found by the String's own (vectorised) search, each char read once for
    // each: every COPY's role text is read so
    int comma = roles.indexOf(',');
    int semicolon = roles.indexOf(';');
    while (comma >= 0 || semicolon >= 0) {
      int at = comma < 0 ? semicolon : semicolon < 0 ? comma : Math.min(comma, semicolon);
      if (nameBeforeColon(roles, at + 1)) {
        return true;
      }
      if (at == comma) {
        comma = roles.indexOf(',', at + 1);
      } else {
        semicolon = roles.indexOf(';', at + 1);
      }
    }
    return false;
  }

  static boolean nameBeforeColon(String roles, int from) {
    int start = from;
    while (start < roles.length() && (Character.isWhitespace(roles.charAt(start)) || roles.charAt(start) == '{'
        || roles.charAt(start) == '"')) {
      start++;
    }
    int end = start;
    while (end < roles.length() && isNameChar(roles.charAt(end))) {
      end++;
    }
    int colon = end < roles.length() && roles.charAt(end) == '"' ? end + 1 : end;
    while (colon < roles.length() && roles.charAt(colon) == ' ') {
      colon++;
    }
    return colon < roles.length() && roles.charAt(colon) == ':'
        && SecretKeywordLookalike.likeness(roles, start, end) != SecretKeywordLookalike.UNLIKE;
  }

  /** Whether a name starting at {@code start} starts a part: at the text's start or after {@code ,}, {@code ;} or white space. */
  private static boolean partStartsAt(String roles, int start) {
    int before = start - 1;
    while (before >= 0 && Character.isWhitespace(roles.charAt(before))) {
      before--;
    }
    return before < 0 || roles.charAt(before) == ',' || roles.charAt(before) == ';' || roles.charAt(before) == '{';
  }

  private static boolean isNameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
  }

  private static boolean endsValue(char c) {
    return c == ';' || c == ',' || c == '&' || c == '\'' || c == '"' || Character.isWhitespace(c);
  }
}

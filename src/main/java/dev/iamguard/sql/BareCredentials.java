package dev.iamguard.sql;

/**
 * Values shaped like AWS credentials written without a keyword where a role, a function, a region
 * or a database belongs ({@code IAM_ROLE 'AKIAIOSFODNN7EXAMPLE'}, {@code LAMBDA 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'}):
 * no role, function, region or database is named so, and a report that quotes the value would print
 * a key. The shapes, from AWS's documentation and examples (IAM User Guide, "IAM identifiers",
 * unique ID prefixes; the examples {@code AKIAIOSFODNN7EXAMPLE} and {@code wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}):
 * <ul>
 *   <li>an access key id: {@code AKIA} (long-term), {@code ASIA} (temporary), {@code ABIA} (STS
 *       bearer token) or {@code ACCA} (context-specific credential), then 16 or more upper-case
 *       letters and digits;</li>
 *   <li>a secret access key: 40 characters of letters, digits, {@code /} and {@code +}, with
 *       upper-case and lower-case letters and digits (a quarter of keys hold no {@code /} or
 *       {@code +}, so a name of 40 such characters, a Lambda function's or an alias, is refused too:
 *       write the function's ARN);</li>
 *   <li>a session token: 80 or more characters of the base64 alphabet ({@code =} too) with
 *       upper-case, lower-case letters and digits (STS tokens run to hundreds).</li>
 * </ul>
 * The shapes are a heuristic: a value that matches is masked and its statement refused, which errs
 * on the side of refusing; ARNs ({@code :}), S3 locations, KMS key ids (hyphens) never match.
 */
final class BareCredentials {
  /** What a masked value reads as. */
  static final String MASK = "***";
  private static final int KEY_ID_DIGITS = 16;
  private static final int MAX_KEY_ID = 128;
  private static final int SECRET_KEY = 40;
  private static final int MIN_TOKEN = 80;

  private BareCredentials() {}

  /**
   * {@code text} with every piece (what lies between {@code ,}, {@code ;}, {@code &} and white
   * space; for {@code scheme://rest} other than {@code s3://}, also {@code rest} and its part before
   * the first {@code /}) that looks like
   * a credential replaced by {@value #MASK}; the same instance when none does.
   */
  static String masked(String text) {
    if (text == null) {
      return null;
    }
    java.util.List<Span> found = find(text, 0);
    if (found.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    for (Span span : found) {
      out.append(text, copied, span.start()).append(MASK);
      copied = span.end();
    }
    return out.append(text, copied, text.length()).toString();
  }

  /** The pieces of {@code text} that look like credentials (see {@link #masked}), shifted by {@code offset}, in order. */
  static java.util.List<Span> find(String text, int offset) {
    java.util.List<Span> found = new java.util.ArrayList<>(0);
    if (!mayHoldOne(text)) {
      return found;
    }
    int start = 0;
    for (int at = 0; at <= text.length(); at++) {
      if (at < text.length() && !separates(text.charAt(at))) {
        continue;
      }
      Span credential = credentialIn(text, start, at);
      if (credential != null) {
        found.add(new Span(offset + credential.start(), offset + credential.end()));
      }
      start = at + 1;
    }
    return found;
  }

  /** The credential in the piece {@code from..to} (the piece, or what follows its {@code ://}); null when none. */
  private static Span credentialIn(String text, int from, int to) {
    if (looksLike(text, from, to)) {
      return new Span(from, to);
    }
    int scheme = text.indexOf("://", from);
    if (scheme > from && scheme < to && !text.regionMatches(true, from, "s3://", 0, 5)) {
      int host = scheme + 3;
      if (looksLike(text, host, to)) {
        return new Span(host, to); // dynamodb://<key>
      }
      // emr://<key>/path: a key or token may hold '/' itself, so every '/' may end it; the longest is masked
      int end = -1;
      for (int slash = text.indexOf('/', host); slash > host && slash < to; slash = text.indexOf('/', slash + 1)) {
        if (looksLike(text, host, slash)) {
          end = slash;
        }
      }
      if (end > 0) {
        return new Span(host, end);
      }
    }
    return null;
  }

  /** Whether {@code value} as a whole looks like an access key id, a secret access key or a session token. */
  static boolean looksLike(String value) {
    return value != null && looksLike(value, 0, value.length());
  }

  static boolean looksLike(String s, int from, int to) {
    int length = to - from;
    if (length < 4 + KEY_ID_DIGITS) {
      return false;
    }
    if (isKeyIdPrefix(s, from) && length <= MAX_KEY_ID && allKeyIdChars(s, from + 4, to)) {
      return true;
    }
    if (length != SECRET_KEY && length < MIN_TOKEN) {
      return false;
    }
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c >= 'A' && c <= 'Z') {
        upper = true;
      } else if (c >= 'a' && c <= 'z') {
        lower = true;
      } else if (c >= '0' && c <= '9') {
        digit = true;
      } else if (!(c == '/' || c == '+' || c == '=' && length >= MIN_TOKEN)) {
        return false;
      }
    }
    return upper && lower && digit;
  }

  /**
   * A quick test that lets most texts skip the search: {@code text} has a run of credential
   * characters long enough to be one (an access key id's prefix and length, or 40 characters).
   */
  static boolean mayHoldOne(String text) {
    int run = 0;
    for (int k = 0; k <= text.length(); k++) {
      if (k < text.length() && isCredentialChar(text.charAt(k))) {
        run++;
        continue;
      }
      if (run >= SECRET_KEY || run >= 4 + KEY_ID_DIGITS && hasKeyIdPrefix(text, k - run, k)) {
        return true;
      }
      run = 0;
    }
    return false;
  }

  private static boolean hasKeyIdPrefix(String text, int from, int to) {
    for (int k = from; k + 4 + KEY_ID_DIGITS <= to; k++) {
      if (isKeyIdPrefix(text, k)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isKeyIdPrefix(String s, int at) {
    return s.startsWith("AKIA", at) || s.startsWith("ASIA", at) || s.startsWith("ABIA", at) || s.startsWith("ACCA", at);
  }

  private static boolean allKeyIdChars(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isCredentialChar(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '/' || c == '+' || c == '=';
  }

  private static boolean separates(char c) {
    return c == ',' || c == ';' || c == '&' || Character.isWhitespace(c);
  }
}

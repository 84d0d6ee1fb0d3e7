package dev.iamguard.sql;

/**
 * The words that open an authorization clause or carry a secret value.
 *
 * <p>The lexer asks about every word it reads, so the test is a length switch followed by one
 * case-insensitive region compare: no allocation, no hashing.
 */
final class AuthWords {
  static final String IAM_ROLE = "IAM_ROLE";
  static final String CREDENTIALS = "CREDENTIALS";
  static final String ACCESS_KEY_ID = "ACCESS_KEY_ID";
  static final String SECRET_ACCESS_KEY = "SECRET_ACCESS_KEY";
  static final String SESSION_TOKEN = "SESSION_TOKEN";
  static final String CATALOG_ROLE = "CATALOG_ROLE";
  static final String MASTER_SYMMETRIC_KEY = "MASTER_SYMMETRIC_KEY";

  private AuthWords() {}

  /** True when {@code sql[start, end)} is one of the auth words, in any case. */
  static boolean isAuthWord(String sql, int start, int end) {
    char first = (char) (sql.charAt(start) & ~0x20); // every auth word starts with one of these
    if (first != 'I' && first != 'C' && first != 'A' && first != 'S' && first != 'M') {
      return false;
    }
    switch (end - start) {
      case 8:
        return matches(sql, start, IAM_ROLE);
      case 11:
        return matches(sql, start, CREDENTIALS);
      case 12:
        return matches(sql, start, CATALOG_ROLE);
      case 13:
        return matches(sql, start, ACCESS_KEY_ID) || matches(sql, start, SESSION_TOKEN);
      case 17:
        return matches(sql, start, SECRET_ACCESS_KEY);
      case 20:
        return matches(sql, start, MASTER_SYMMETRIC_KEY);
      default:
        return false;
    }
  }

  /** True when token {@code i} is an auth word (the lexer marked it). */
  static boolean isAuthWord(Tokens tokens, int i) {
    return tokens.isAuthWord(i);
  }

  private static boolean matches(String sql, int start, String word) {
    return Tokens.sameWord(sql, start, word);
  }
}

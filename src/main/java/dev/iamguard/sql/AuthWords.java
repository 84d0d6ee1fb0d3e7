package dev.iamguard.sql;

/**
 * The words that open an authorization clause or carry a secret value.
 *
 * <p>The lexer asks about every word it reads, so the test is one bit test of the length, then a
 * case-insensitive compare with the one or two words of that length: no allocation, no hashing.
 */
final class AuthWords {
  static final String IAM_ROLE = "IAM_ROLE";
  static final String CREDENTIALS = "CREDENTIALS";
  static final String ACCESS_KEY_ID = "ACCESS_KEY_ID";
  static final String SECRET_ACCESS_KEY = "SECRET_ACCESS_KEY";
  static final String SESSION_TOKEN = "SESSION_TOKEN";
  static final String CATALOG_ROLE = "CATALOG_ROLE";
  static final String MASTER_SYMMETRIC_KEY = "MASTER_SYMMETRIC_KEY";
  /** Not an auth word: {@code set_config('session_authorization', ...)} changes who runs later statements. */
  static final String SET_CONFIG = "SET_CONFIG";

  private AuthWords() {}

  /** Bit n set: some word here (or {@code SET_CONFIG}) is n characters long. */
  private static final int LENGTHS = 1 << 8 | 1 << 10 | 1 << 11 | 1 << 12 | 1 << 13 | 1 << 17 | 1 << 20;
  /** The words of each length in {@link #LENGTHS} (one or two). */
  private static final String[][] BY_LENGTH = new String[21][];

  static {
    for (String word : new String[] {IAM_ROLE, CREDENTIALS, ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN,
        CATALOG_ROLE, MASTER_SYMMETRIC_KEY, SET_CONFIG}) {
      String[] same = BY_LENGTH[word.length()];
      String[] grown = same == null ? new String[1] : java.util.Arrays.copyOf(same, same.length + 1);
      grown[grown.length - 1] = word;
      BY_LENGTH[word.length()] = grown;
    }
  }

  /** What {@link #kind} says of a word that is neither. */
  static final int NONE = 0;
  /** What {@link #kind} says of an auth word. */
  static final int AUTH = 1;
  /** What {@link #kind} says of {@code set_config}, which may change the session identity. */
  static final int IDENTITY = 2;

  /** True when {@code sql[start, end)} is one of the auth words, in any case. */
  static boolean isAuthWord(String sql, int start, int end) {
    return kind(sql, start, end) == AUTH;
  }

  /**
   * {@link #AUTH} for an auth word, {@link #IDENTITY} for {@code set_config}, else {@link #NONE};
   * in any case. One test for both, so the lexer's per-word cost does not grow.
   */
  static int kind(String sql, int start, int end) {
    int length = end - start;
    // most words of a script are shorter than 8 or of a length no word here has: one bit test
    if (length > 20 || (LENGTHS & 1 << length) == 0) {
      return NONE;
    }
    // one compare loop for every word (a switch with one compare per length compiled the lexer's
    // word loop too big to be inlined where it runs)
    char first = (char) (sql.charAt(start) & ~0x20);
    for (String word : BY_LENGTH[length]) {
      if (word.charAt(0) == first && Tokens.sameWord(sql, start, word)) {
        return word == SET_CONFIG ? IDENTITY : AUTH;
      }
    }
    return NONE;
  }

  /**
   * The auth word {@code sql[start, end)} spells in any case, as one of the constants above (their
   * hash is computed once, so a switch on it costs a comparison), or null when it is none.
   */
  static String word(String sql, int start, int end) {
    if (kind(sql, start, end) != AUTH) {
      return null;
    }
    return switch (end - start) {
      case 8 -> IAM_ROLE;
      case 11 -> CREDENTIALS;
      case 12 -> CATALOG_ROLE;
      case 13 -> matches(sql, start, ACCESS_KEY_ID) ? ACCESS_KEY_ID : SESSION_TOKEN;
      case 17 -> SECRET_ACCESS_KEY;
      default -> MASTER_SYMMETRIC_KEY;
    };
  }

  /** True when token {@code i} is an auth word (the lexer marked it). */
  static boolean isAuthWord(Tokens tokens, int i) {
    return tokens.isAuthWord(i);
  }

  private static boolean matches(String sql, int start, String word) {
    return Tokens.sameWord(sql, start, word);
  }
}

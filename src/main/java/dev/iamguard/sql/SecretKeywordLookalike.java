package dev.iamguard.sql;

/**
 * Recognizes a name its author most likely meant as a secret keyword but misspelt or decorated:
 * {@code secret_acess_key}, {@code aws_secret_access_key}, {@code secret_access_key2},
 * {@code sesion_token}, {@code credential}, {@code passwd}. Redshift refuses such a statement, yet the
 * literal written after the name is the secret its author meant, and a report, a log or an error
 * that prints the statement must not show it.
 *
 * <p>A name's letters are compared, upper-cased, without {@code _}, digits and other marks and without
 * a leading {@code AWS}: a name looks like a secret keyword when it holds one of the stems no ordinary
 * option of a statement that takes a literal holds ({@code SECRET}, {@code TOKEN}, {@code PASSW},
 * {@code CREDENTIAL}, {@code SYMMETRIC}, {@code ACCESSKEY}), other than {@code SECRET_ARN} (an ARN of
 * AWS Secrets Manager, which names a secret and is none), or when at most two edits (a letter
 * inserted, dropped, replaced, or two neighbours swapped) turn it into a secret keyword.
 * {@code KMS_KEY_ID} is neither, so an UNLOAD's key ARN stays readable.
 *
 * <p>The value is the literal right after the name, or after {@code AS}; after {@code =} only for a
 * near spelling of a keyword ({@code secret_acess_key = 'x'}), as a name holding a stem may well be
 * a column compared with a value ({@code where token_type = 'bearer'}).
 */
final class SecretKeywordLookalike {
  /** Secret keywords as compared: letters only, upper case (see {@link SecretSpans}), and ACCESS_KEY, as users write it. */
  private static final String[] KEYWORDS = {
      "ACCESSKEYID", "ACCESSKEY", "SECRETACCESSKEY", "SESSIONTOKEN", "MASTERSYMMETRICKEY", "PASSWORD", "CREDENTIALS"};
  private static final String[] STEMS = {"SECRET", "TOKEN", "PASSW", "CREDENTIAL", "SYMMETRIC", "ACCESSKEY"};
  /** Names holding a stem that carry no secret. */
  private static final String[] NOT_SECRET = {"SECRETARN"};
  private static final int EDITS = 2;
  /** Shorter names are no keyword misspelt (PASSWORD less two letters) and hold no stem. */
  private static final int SHORTEST = 5;
  /** Longer names are no keyword misspelt (the longest keyword is 18 letters) and hold no stem worth reading. */
  private static final int LONGEST = 40;

  private SecretKeywordLookalike() {}

  /** What a name is to the search: nothing like a secret keyword. */
  static final int UNLIKE = 0;
  /** A name holding a stem: its value is a literal right after it or after {@code AS}. */
  static final int HOLDS_STEM = 1;
  /** A near spelling of a secret keyword: its value may also follow {@code =}. */
  static final int NEAR_KEYWORD = 2;

  /** What the name {@code source[start, end)} is: {@link #UNLIKE}, {@link #HOLDS_STEM} or {@link #NEAR_KEYWORD}. */
  static int likeness(CharSequence source, int start, int end) {
    if (end - start > LONGEST || end - start < SHORTEST || !mayBeLike(letterSet(source, start, end))) {
      return UNLIKE; // most names: decided without building their letters
    }
    String letters = letters(source, start, end);
    for (String keyword : KEYWORDS) {
      if (withinEdits(letters, keyword)) {
        return NEAR_KEYWORD;
      }
    }
    for (String name : NOT_SECRET) {
      if (letters.equals(name)) {
        return UNLIKE;
      }
    }
    for (String stem : STEMS) {
      if (letters.contains(stem)) {
        return HOLDS_STEM;
      }
    }
    return UNLIKE;
  }

  /** The letters A-Z a name holds, in any case, one bit each. */
  private static int letterSet(CharSequence source, int start, int end) {
    int set = 0;
    for (int k = start; k < end; k++) {
      int c = source.charAt(k) | 0x20;
      if (c >= 'a' && c <= 'z') {
        set |= 1 << (c - 'a');
      }
    }
    return set;
  }

  private static int letterSet(String upperCase) {
    return letterSet(upperCase.toLowerCase(java.util.Locale.ROOT), 0, upperCase.length());
  }

  private static final int[] KEYWORD_SETS = java.util.Arrays.stream(KEYWORDS).mapToInt(SecretKeywordLookalike::letterSet).toArray();
  private static final int[] STEM_SETS = java.util.Arrays.stream(STEMS).mapToInt(SecretKeywordLookalike::letterSet).toArray();
  private static final int AWS = letterSet("AWS");

  /**
   * A necessary condition, from the letters a name holds: each edit adds or removes at most two
   * letters from that set ({@code AWS} of a prefix aside), so a near spelling of a keyword differs
   * from the keyword's set by at most four; a name holding a stem holds all of the stem's letters.
   */
  private static boolean mayBeLike(int set) {
    for (int keyword : KEYWORD_SETS) {
      if (Integer.bitCount((set ^ keyword) & ~(AWS & ~keyword)) <= 2 * EDITS) {
        return true;
      }
    }
    for (int stem : STEM_SETS) {
      if ((set & stem) == stem) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when a name that looks like a secret keyword may stand before a literal in {@code text}:
   * where {@link SecretSpans} may mask a value after such a name, and more. Read backwards from each
   * quote and dollar (found with the String's own search): past a literal prefix ({@code E},
   * {@code N}, {@code B}, {@code X} or {@code U&}, or none: the letter may end the name), spaces and
   * the punctuation chars {@code ( ; : = >}, and {@code AS}, to a name (a run of letters, digits,
   * {@code _}, {@code $} and chars above 127, or any of its tails that starts after a digit or
   * {@code $}, or a double-quoted name). A comment that may end in that gap makes the answer true.
   */
  static boolean standsBeforeLiteral(String text) {
    return quoteAfterName(text, '\'') || quoteAfterName(text, '$');
  }

  private static boolean quoteAfterName(String text, char quote) {
    for (int q = text.indexOf(quote); q >= 0; q = text.indexOf(quote, q + 1)) {
      if (nameBeforeGap(text, q) || assignedAfterType(text, q)) {
        return true;
      }
      int u = unicodeNameBefore(text, q);
      int prefix = u >= 0 ? u : q >= 1 && "eEnNbBxX".indexOf(text.charAt(q - 1)) >= 0 ? q - 1 : q;
      if (prefix < q && (nameBeforeGap(text, prefix) || assignedAfterType(text, prefix))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the gap before the quote at {@code q} holds {@code :=}: a PL/pgSQL declaration
   * ({@code declare passwd varchar(20) := '...'}) puts a type between the name and the value, which
   * the scan reads and the name check before the gap does not (a random run found it skipped). The
   * scan decides such a text: {@code :=} is rare outside procedure bodies.
   */
  private static boolean assignedAfterType(String text, int q) {
    int p = gapStart(text, q);
    if (p < 0) {
      return true; // a comment may end in the gap: the scan decides
    }
    // within the gap only: the gaps before the quotes of a text do not overlap, so the text is read once
    for (int i = p; i + 1 < q; i++) {
      if (text.charAt(i) == ':' && text.charAt(i + 1) == '=') {
        return true;
      }
    }
    return false;
  }

  /**
   * Where the name {@code U} of {@code U&'..'} starts when the gap before the quote at {@code q} holds
   * the {@code &} and a one-letter name {@code U} stands before it, else -1. The scan reads the three
   * as tokens, with spaces or comments between them ({@code "secret-access-key" u &'v1'}: a random run
   * found the filter skipping it, as it knew {@code U&'} written together only).
   */
  private static int unicodeNameBefore(String text, int q) {
    int ampersand = gapStart(text, q);
    if (ampersand < 1 || text.charAt(ampersand - 1) != '&') {
      return -1;
    }
    int p = gapStart(text, ampersand - 1);
    if (p < 0) {
      return ampersand - 1; // a comment may end in the gap: read from the & on, where the scan decides
    }
    return p >= 1 && (text.charAt(p - 1) | 0x20) == 'u' && (p < 2 || !isNameChar(text.charAt(p - 2))) ? p - 1 : -1;
  }

  /** Whether a name that looks like a secret keyword ends the text before {@code end}, past the gap a value may follow. */
  private static boolean nameBeforeGap(String text, int end) {
    int p = gapStart(text, end);
    if (p < 0) {
      return true; // a comment may end in the gap: the scan decides
    }
    if (p >= 2 && (text.charAt(p - 2) | 0x20) == 'a' && (text.charAt(p - 1) | 0x20) == 's'
        && (p == 2 || !isNameChar(text.charAt(p - 3)))) {
      int beforeAs = gapStart(text, p - 2);
      if (beforeAs < 0 || looksLikeNameEndingAt(text, beforeAs)) {
        return true;
      }
    }
    return looksLikeNameEndingAt(text, p);
  }

  /** Where the gap before {@code end} starts (spaces, punctuation chars); -1 when a comment may end in it. */
  private static int gapStart(String text, int end) {
    int p = end;
    int marks = 0;
    while (p > 0) {
      char c = text.charAt(p - 1);
      if (c == '\n' || c == '\r') {
        // the line this line end ends, searched within itself: each line is read once, as the gaps
        // before the quotes of a text do not overlap
        int lineStart = p - 1;
        while (lineStart > 0 && text.charAt(lineStart - 1) != '\n' && text.charAt(lineStart - 1) != '\r') {
          lineStart--;
        }
        if (BoundedSearch.indexOf(text, "--", lineStart, p) >= 0) {
          return -1;
        }
        p--;
      } else if (c <= ' ') {
        p--;
      } else if (c == '/' && p >= 2 && text.charAt(p - 2) == '*') {
        return -1;
      } else if (marks < 8 && "(;:=>".indexOf(c) >= 0) {
        marks++;
        p--;
      } else {
        break;
      }
    }
    return p;
  }

  /** A double-quoted name, a run of name chars, or a word starting inside the run, ending at {@code end}, looks like a secret keyword. */
  private static boolean looksLikeNameEndingAt(String text, int end) {
    if (end >= 2 && text.charAt(end - 1) == '"') {
      int open = text.lastIndexOf('"', end - 2);
      while (open > 0 && text.charAt(open - 1) == '"') {
        open = text.lastIndexOf('"', open - 2); // "a""b": a doubled quote is part of the name
      }
      return open >= 0 && likeness(text, open + 1, end - 1) != UNLIKE;
    }
    int set = 0;
    boolean inner = false;
    int start = end;
    // no name longer than LONGEST is like a keyword, and a tail that long is none either: the walk
    // stops there (a run of thousands of '$' before each of thousands of quotes was read whole each time)
    int stop = Math.max(0, end - LONGEST - 1);
    for (char c; start > stop && isNameChar(c = text.charAt(start - 1)); start--) {
      int lower = c | 0x20;
      set |= lower >= 'a' && lower <= 'z' ? 1 << (lower - 'a') : 0;
      inner |= start < end && isDigitOrDollar(c) && !isDigitOrDollar(text.charAt(start));
    }
    if (end - start < SHORTEST || !inner && !mayBeLike(set)) {
      return false; // most names before a quote: too short, or far from every keyword and stem
    }
    for (int from = start; from < end; from++) {
      boolean wordStart = from == start || !isDigitOrDollar(text.charAt(from)) && isDigitOrDollar(text.charAt(from - 1));
      if (wordStart && end - from >= SHORTEST && likeness(text, from, end) != UNLIKE) {
        return true;
      }
    }
    return false;
  }

  private static boolean isDigitOrDollar(char c) {
    return c >= '0' && c <= '9' || c == '$';
  }

  private static boolean isNameChar(char c) {
    return c >= 128 || NAME_CHARS[c];
  }

  /** Letters, digits, {@code _} and {@code $} among the ASCII chars. */
  private static final boolean[] NAME_CHARS = new boolean[128];

  static {
    for (int c = 0; c < 128; c++) {
      int lower = c | 0x20;
      boolean letter = lower >= 'a' && lower <= 'z' && (c & ~0x20) >= 'A';
      NAME_CHARS[c] = letter || c >= '0' && c <= '9' || c == '_' || c == '$';
    }
  }

  private static String letters(CharSequence source, int start, int end) {
    StringBuilder out = new StringBuilder(end - start);
    for (int k = start; k < end; k++) {
      char c = source.charAt(k);
      if (c >= 'a' && c <= 'z') {
        out.append((char) (c - 0x20));
      } else if (c >= 'A' && c <= 'Z') {
        out.append(c);
      }
    }
    String letters = out.toString();
    return letters.startsWith("AWS") && letters.length() > 3 ? letters.substring(3) : letters;
  }

  /** {@code a} and {@code b} are at most {@link #EDITS} edits apart, swaps of neighbours counted as one. */
  static boolean withinEdits(String a, String b) {
    return Spelling.withinSwapDistance(a, b, EDITS);
  }
}

package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routines a PL/pgSQL body may run by name: what it {@code CALL}s, and every name written
 * before {@code (} (a function it may call, by {@code PERFORM}, {@code SELECT} or in any
 * expression), in the body itself and in the text of every literal and every run of literals
 * joined by {@code ||} (an {@code EXECUTE} runs such a text). A routine the body runs may run its
 * own COPY as whoever runs the body, so the guard judges it too; reading more names than the body
 * really calls only costs a look-up (a name no PL/pgSQL routine has counts for nothing), reading
 * fewer would let a COPY run unjudged.
 */
public final class RoutineCalls {
  private RoutineCalls() {}

  /**
   * Words that stand before {@code (} in SQL without naming a routine, and that no routine called
   * by an unquoted name can be named (PostgreSQL's reserved key words and those that "cannot be
   * function or type"): not looked up. PL/pgSQL's own words (IF, RETURN, QUERY, ...) and FORMAT
   * are not among them: a function may be named so, and a routine's own search path may put it
   * before pg_catalog's.
   */
  private static final Set<String> NOT_ROUTINES = Set.of("VALUES", "IN", "EXISTS", "ANY", "ALL", "SOME", "CAST",
      "COALESCE", "NULLIF", "GREATEST", "LEAST", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE", "SELECT", "WHERE", "ON",
      "AS", "USING", "INTO", "FROM", "CASE", "ROW", "ARRAY");

  /**
   * The names the body may run, each as its parts as the server reads them (an unquoted part
   * folded to lower case in its ASCII letters, a quoted one as written between its quotes), in the
   * order first met and without repeats. An empty list stands for a {@code CALL} whose name cannot
   * be read (a name built at run time, {@code U&"..."}): what it runs cannot be known.
   */
  public static List<List<String>> in(String body) {
    Set<List<String>> names = new LinkedHashSet<>();
    collect(body, names, false);
    return List.copyOf(names);
  }

  private static void collect(String text, Set<List<String>> names, boolean open) {
    Tokens t = Lexer.tokenize(text);
    int k = 0;
    while (k < t.count()) {
      if (t.isWord(k, "CALL")) {
        List<String> name = open ? null : name(t, k + 1);
        names.add(name == null ? List.of() : name);
      } else if (t.kind(k).isLiteral()) {
        // a run of literals joined by || (an EXECUTE text may be split so): read as one text, and each alone
        StringBuilder joined = new StringBuilder();
        int next = joinLiterals(t, k, joined);
        // joined to a text built at run time ('call ' || v): a CALL in it names what cannot be known
        boolean built = open || SecretSpans.isConcatenation(t, next) || k >= 2 && SecretSpans.isConcatenation(t, k - 2);
        collect(joined.toString(), names, built);
        k = next;
        continue;
      } else if ((t.is(k, TokenKind.WORD) || t.is(k, TokenKind.QUOTED_IDENTIFIER)) && !t.is(k - 1, TokenKind.DOT)) {
        int end = nameEnd(t, k);
        if (t.is(end, TokenKind.LEFT_PAREN) && (end > k + 1 || !t.is(k, TokenKind.WORD)
            || !NOT_ROUTINES.contains(t.upperWord(k)))) {
          List<String> name = name(t, k);
          if (name != null) {
            names.add(name);
          }
        }
      }
      k++;
    }
  }

  /**
   * Appends to {@code joined} the value of the literal at token {@code k} and of each literal joined
   * to it by {@code ||} (a text to EXECUTE may be written in pieces), and returns the index of the
   * token after the last of them.
   */
  static int joinLiterals(Tokens t, int k, StringBuilder joined) {
    joined.append(t.literalValue(k));
    int next = k + 1;
    while (SecretSpans.isConcatenation(t, next) && next + 2 < t.count() && t.kind(next + 2).isLiteral()) {
      joined.append(t.literalValue(next + 2));
      next += 3;
    }
    return next;
  }

  /** The index after the dotted name starting at token {@code k}. */
  private static int nameEnd(Tokens t, int k) {
    int end = k + 1;
    while (t.is(end, TokenKind.DOT) && (t.is(end + 1, TokenKind.WORD) || t.is(end + 1, TokenKind.QUOTED_IDENTIFIER))) {
      end += 2;
    }
    return end;
  }

  /**
   * The name at token {@code k} read whole (its parts, at most three, followed by {@code (}, a
   * {@code ;} or the end), or null when none can be read so.
   */
  private static List<String> name(Tokens t, int k) {
    List<String> parts = new ArrayList<>(2);
    int i = k;
    do {
      if (t.is(i, TokenKind.WORD)) {
        // ASCII folding, as the server folds an unquoted name (see SqlStatement.calledProcedure)
        parts.add(AsciiCase.toLowerCase(t.text(i)));
      } else if (t.is(i, TokenKind.QUOTED_IDENTIFIER)) {
        String quoted = t.text(i);
        parts.add(quoted.substring(1, quoted.length() - 1).replace("\"\"", "\""));
      } else {
        return null;
      }
      i++;
    } while (t.is(i, TokenKind.DOT) && i++ > 0);
    boolean whole = t.is(i, TokenKind.LEFT_PAREN) || t.is(i, TokenKind.SEMICOLON) || i >= t.count();
    return whole && parts.size() <= 3 ? parts : null;
  }

  /**
   * What in a routine's body may change the identity, read from its words wherever they stand
   * (a PL/pgSQL statement after {@code BEGIN}, {@code THEN} or a label, in an EXECUTE literal, even
   * in a comment: more is judged for an unknown user, never less): {@code set_config},
   * {@code session_authorization}, {@code SET [LOCAL|SESSION] SESSION AUTHORIZATION|ROLE},
   * {@code RESET ROLE}, {@code RESET SESSION AUTHORIZATION}, {@code RESET ALL}, {@code DISCARD}, a
   * {@code U&"..."} name. A CALL is not one of them. {@code RESET} of any other setting
   * ({@code RESET query_group}, which Redshift's WLM documentation pairs with {@code SET query_group},
   * {@code RESET search_path}) changes no identity: reading every {@code RESET} as one denied such a
   * procedure's COPY for a user the guard cannot know.
   */
  private static final Pattern IDENTITY_WORDS = Pattern.compile(
      "(?i)set_config|session_authorization|\\bset\\s+(?:(?:local|session)\\s+)*(?:session\\s+authorization|\"?role\"?)\\b"
          + "|\\breset\\s+(?:session|all|\"?role\"?)\\b|\\bdiscard\\b|u&\"");

  /** How deep literals inside literals are read for an identity change (an EXECUTE of an EXECUTE). */
  private static final int MAX_LITERAL_DEPTH = 4;

  /**
   * Where a routine's body may change the identity, other than by a CALL ({@code perform
   * set_config('session_authorization', ...)}, {@code SET SESSION AUTHORIZATION}, {@code SET ROLE},
   * {@code RESET ROLE}, {@link #IDENTITY_WORDS}), as a message names it, or null: the body, and the
   * routines it calls, are then judged for an unknown user (red-team review on PostgreSQL: a body
   * running {@code perform set_config('session_authorization', 'user3', false); call p2()} ran p2's
   * COPY as user3, judged for the caller; a loop runs the body's own statements again after it).
   * The words are read in the text as written and, since the server lexes a comment between two
   * words as a blank ({@code SET /* c *}{@code / ROLE r3}, or a line comment between them, made r3
   * the current role on PostgreSQL, and the text alone missed it), in its tokens too, and in the
   * tokens of every literal it holds (an {@code EXECUTE} runs one).
   */
  public static String identityChangeIn(String body) {
    return identityChangeIn(body, 0);
  }

  private static String identityChangeIn(String text, int depth) {
    Matcher change = IDENTITY_WORDS.matcher(text);
    if (change.find()) {
      return "'" + change.group() + "'";
    }
    Tokens t = Lexer.tokenize(text);
    for (int k = 0; k < t.count(); k++) {
      if (t.kind(k).isLiteral()) {
        // a run of literals joined by || (an EXECUTE text written in pieces): read as one text, and each alone
        StringBuilder joined = new StringBuilder();
        int next = joinLiterals(t, k, joined);
        String inner = depth >= MAX_LITERAL_DEPTH ? null : identityChangeIn(joined.toString(), depth + 1);
        for (int piece = k; inner == null && depth < MAX_LITERAL_DEPTH && next > k + 1 && piece < next; piece += 3) {
          inner = identityChangeIn(t.literalValue(piece), depth + 1);
        }
        if (inner != null) {
          return inner;
        }
        k = next - 1;
      } else if (t.isWord(k, "SET") || t.isWord(k, "RESET")) {
        boolean set = t.isWord(k, "SET");
        int j = k + 1;
        while (set && (t.isWord(j, "LOCAL") || t.isWord(j, "SESSION") && !t.isWord(j + 1, "AUTHORIZATION"))) {
          j++;
        }
        if (isSetting(t, j, "ROLE") || isSetting(t, j, "SESSION_AUTHORIZATION")
            || t.isWord(j, "SESSION") && t.isWord(j + 1, "AUTHORIZATION") || !set && t.isWord(j, "ALL")) {
          return "'" + t.text(k) + " " + t.text(j) + "'";
        }
      } else if (isSetting(t, k, "SET_CONFIG") || isSetting(t, k, "SESSION_AUTHORIZATION") || t.isWord(k, "DISCARD")) {
        return "'" + t.text(k) + "'";
      }
    }
    return null;
  }

  /**
   * True when token {@code k}, the name a routine's {@code SET} clause sets, names a setting that
   * decides who runs its body: {@code role} or {@code session_authorization}, as a word or a quoted
   * name in any case, or a name in Unicode escapes ({@code U&"..."}), which the guard does not decode.
   */
  static boolean namesIdentitySetting(Tokens t, int k) {
    return isSetting(t, k, "ROLE") || isSetting(t, k, "SESSION_AUTHORIZATION")
        || t.isWord(k, "U") && t.is(k + 1, TokenKind.OPERATOR) && t.text(k + 1).startsWith("&");
  }

  /**
   * True when token {@code k} names the setting {@code upperCaseName}, as a word or a quoted name
   * (the server finds a setting by its name in any case: {@code SET "ROLE" TO r3} sets the role).
   */
  private static boolean isSetting(Tokens t, int k, String upperCaseName) {
    if (t.is(k, TokenKind.QUOTED_IDENTIFIER)) {
      String quoted = t.text(k);
      return quoted.substring(1, quoted.length() - 1).equalsIgnoreCase(upperCaseName);
    }
    return t.isWord(k, upperCaseName);
  }

  /**
   * The bodies a face knows for a routine's name (every routine that name may run: the server's
   * catalog for the driver, the script's own procedures for {@code check}).
   *
   * @param <E> what asking may throw
   */
  @FunctionalInterface
  public interface Bodies<E extends Exception> {
    /** The texts of the bodies {@code name} may run. */
    List<String> of(List<String> name) throws E;

    /**
     * Told the names a body of {@code caller} runs before any of them is asked with {@link #of}: a
     * face that asks a server may ask them in one round trip.
     */
    default void ahead(List<String> caller, List<List<String>> names) throws E {}
  }

  /**
   * Where a routine of {@code calls} (the names one body runs, at level {@code depth} of a chain),
   * or one those call in turn down to level {@code maxDepth}, may change the identity in its own
   * text ({@link #identityChangeIn}), as a message names it, or null: every routine the calling body
   * runs is then judged for an unknown user, since one may run after the change (red-team review:
   * {@code call become_user3(); call p2()} in a body ran p2's COPY as user3, judged for the caller).
   * The order of the calls is not read. A name that cannot be read, or a chain deeper than
   * {@code maxDepth}, is left for the judging to refuse. One walk for both faces, so that they agree.
   */
  public static <E extends Exception> String identityChangeDown(List<List<String>> calls, Bodies<E> bodies, int depth,
      int maxDepth) throws E {
    return identityChangeDown(calls, bodies, new HashSet<>(), depth, maxDepth);
  }

  private static <E extends Exception> String identityChangeDown(List<List<String>> calls, Bodies<E> bodies,
      Set<List<String>> read, int depth, int maxDepth) throws E {
    if (depth >= maxDepth) {
      return null;
    }
    for (List<String> called : calls) {
      if (called.isEmpty() || !read.add(called)) {
        continue;
      }
      for (String body : bodies.of(called)) {
        String change = identityChangeIn(body);
        if (change != null) {
          return change + " of the body of " + String.join(".", called);
        }
        List<List<String>> further = in(body);
        if (!further.isEmpty() && depth + 1 < maxDepth) {
          bodies.ahead(called, further);
          change = identityChangeDown(further, bodies, read, depth + 1, maxDepth);
          if (change != null) {
            return change;
          }
        }
      }
    }
    return null;
  }
}

package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.jdbc.LocalPostgres;
import dev.iamguard.jdbc.SimpleQueryWire;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server is the oracle for how the guard folds the case of what it reads: PostgreSQL (and
 * Redshift) fold key words, unquoted names and run-time parameter names in their ASCII letters
 * only, Java's {@code regionMatches(true, ...)}, {@code equalsIgnoreCase} and
 * {@code toUpperCase}/{@code toLowerCase} through the Unicode tables. The classes of input are
 * every key word, parameter name and name the guard reads at a decision (who runs the next
 * statement, whether the lexing changes, which procedure a CALL runs, which savepoint a statement
 * names, whether a statement is transaction control), with each of its ASCII letters replaced in
 * turn by each char of {@code 0x80..0xFFFF} whose Java case mapping lands on that letter
 * (computed, {@link #FOLDS}), quoted and unquoted where a name may be quoted. PostgreSQL 15 says
 * whether it accepts each statement and what it then reads (the user after it, the name its error
 * names); the guard's reading must be the same.
 *
 * <p>Before the guard folded in ASCII ({@link AsciiCase}) 192 of the 906 compared cases differed:
 * 45 SET and RESET of a quoted {@code "ſession_authorization"} (long s; dotless and dotted i) read
 * as a switch of user where the server answers "unrecognized configuration parameter" and keeps
 * the identity; 33 of {@code "ſtandard_conforming_strings"} and {@code "client_encodıng"} read as
 * lexing changes; 42 {@code SET SESSION AUTHORIZATION ıN} (a user the server reads) read as naming
 * the reserved word IN, so no user; 72 {@code CALL Kiss()} (Kelvin sign) or {@code CALL İn()}
 * read as the procedure kiss or {@code i̇n}, so the JDBC path judged another procedure's body,
 * or none, where the server runs {@code Kiss}. The DEL variants of {@code _} hold the quoted
 * parameter names to ASCII folding rather than folding by bit 0x20 ({@link Tokens#sameWord}, right
 * for word tokens only): 14 cases differ with it.
 */
class CaseFoldingServerTest {
  @RegisterExtension
  static final LocalPostgres POSTGRES = new LocalPostgres();

  /** For each ASCII lower-case letter, the chars 0x80..0xFFFF that Java's case mapping makes that letter (either case). */
  static final Map<Character, Set<Character>> FOLDS = folds();

  private static Map<Character, Set<Character>> folds() {
    Map<Character, Set<Character>> folds = new TreeMap<>();
    for (int c = 0x80; c <= 0xFFFF; c++) {
      for (char m : new char[] {Character.toUpperCase((char) c), Character.toLowerCase((char) c)}) {
        if (m < 0x80 && Character.isLetter(m)) {
          folds.computeIfAbsent(Character.toLowerCase(m), k -> new LinkedHashSet<>()).add((char) c);
        }
      }
    }
    return folds;
  }

  /**
   * {@code word} with one of its ASCII letters replaced by a char that folds onto it, each in turn;
   * and each {@code _} by DEL, which folding by bit 0x20 (right for word tokens only) makes {@code _}.
   */
  static List<String> variants(String word) {
    List<String> variants = new ArrayList<>();
    for (int i = 0; i < word.length(); i++) {
      char at = word.charAt(i);
      Set<Character> folding = at == '_' ? Set.of((char) ('_' ^ 0x20)) : FOLDS.getOrDefault(Character.toLowerCase(at), Set.of());
      for (char c : folding) {
        variants.add(word.substring(0, i) + c + word.substring(i + 1));
      }
    }
    return variants;
  }

  /** A slot of a template: {@code {word}} a key word (unquoted only), {@code $word} a parameter name (also quoted). */
  private static final Pattern SLOT = Pattern.compile("\\{(\\w+)}|\\$(\\w+)");

  /**
   * The template with its slots written plainly (both quoted and not), then with each slot in turn
   * written as each variant of its word (quoted too for a parameter name), the others plainly.
   */
  static List<String> expand(String template) {
    List<String[]> slots = new ArrayList<>(); // word, "$" or "{"
    Matcher m = SLOT.matcher(template);
    while (m.find()) {
      slots.add(m.group(1) != null ? new String[] {m.group(1), "{"} : new String[] {m.group(2), "$"});
    }
    List<String> texts = new ArrayList<>();
    texts.add(fill(template, slots, -1, null, false));
    if (slots.stream().anyMatch(s -> s[1].equals("$"))) {
      texts.add(fill(template, slots, -1, null, true));
    }
    for (int j = 0; j < slots.size(); j++) {
      for (String variant : variants(slots.get(j)[0])) {
        texts.add(fill(template, slots, j, variant, false));
        if (slots.get(j)[1].equals("$")) {
          texts.add(fill(template, slots, j, variant, true));
        }
      }
    }
    return texts;
  }

  private static String fill(String template, List<String[]> slots, int varied, String variant, boolean quoted) {
    Matcher m = SLOT.matcher(template);
    StringBuilder out = new StringBuilder();
    int j = 0;
    while (m.find()) {
      String word = j == varied ? variant : slots.get(j)[0];
      boolean quote = quoted && slots.get(j)[1].equals("$") && (varied < 0 || j == varied);
      m.appendReplacement(out, Matcher.quoteReplacement(quote ? "\"" + word + "\"" : word));
      j++;
    }
    m.appendTail(out);
    return out.toString();
  }

  /** What a comparison found. */
  private record Found(int compared, List<String> differ) {}

  /** The one statement {@code text} parses to. */
  private static SqlStatement statement(String text) {
    List<SqlStatement> statements = SqlScript.parse(text).statements();
    assertThat(statements).as(text).hasSize(1);
    return statements.get(0);
  }

  /** The user the guard reads {@code text} as switching the session to (the login user for DEFAULT and RESET), or null: no switch. */
  private static String guardSwitchesTo(String text) {
    RedshiftCommand command = statement(text).command();
    if (command.kind() != CommandKind.SET_SESSION_AUTHORIZATION || !command.problems().isEmpty()) {
      return null; // an ordinary statement, or one reported (denied) as naming no user the guard can know
    }
    return command.sessionUser() == null ? LocalPostgres.USER : command.sessionUser();
  }

  private static final String REFUSED = "(refused)";

  /** Runs {@code text} after {@code before} in a transaction rolled back; the first column of the last row, or REFUSED, or what {@code error} takes from the error. */
  private static String run(SimpleQueryWire server, String before, String text, String after, Pattern error) throws Exception {
    SimpleQueryWire.Answer answer = server.query("begin; " + before + text + ";" + after);
    server.query("rollback");
    if (answer.error() != null) {
      Matcher m = error == null ? null : error.matcher(answer.error());
      return m != null && m.matches() ? m.group(1) : REFUSED;
    }
    return answer.values().isEmpty() ? "" : answer.values().get(answer.values().size() - 1);
  }

  private static final Pattern NO_SUCH_ROLE = Pattern.compile("role \"(.*)\" does not exist");

  /** SET SESSION AUTHORIZATION in its key-word and parameter forms: the user the server runs the next statement as. */
  private static Found sessionAuthorization(SimpleQueryWire server) throws Exception {
    List<String> differ = new ArrayList<>();
    int compared = 0;
    for (String template : List.of("{set} {session} {authorization} fy_user", "set {session} {session} {authorization} fy_user",
        "set {local} {session} {authorization} 'fy_user'", "{reset} {session} {authorization}",
        "set $session_authorization to 'fy_user'", "set $session_authorization = fy_user",
        "set {session} $session_authorization to fy_user", "set {local} $session_authorization = 'fy_user'",
        "reset $session_authorization")) {
      for (String text : expand(template)) {
        String server1 = run(server, "set session authorization fy_before; ", text, " select session_user::text", null);
        String expected = server1 == REFUSED ? "fy_before" : server1;
        String guard = guardSwitchesTo(text);
        compared++;
        if (!expected.equals(guard == null ? "fy_before" : guard)) {
          differ.add(text + " -> server runs the next statement as " + expected + ", the guard reads " + guard);
        }
      }
    }
    return new Found(compared, differ);
  }

  /** SET and RESET of role: the server accepts it (and so changes who runs what follows) exactly when the guard reads an identity change. */
  private static Found role(SimpleQueryWire server) throws Exception {
    List<String> differ = new ArrayList<>();
    int compared = 0;
    for (String template : List.of("{set} $role to fy_user", "set {session} $role = 'fy_user'", "set {local} $role to fy_user",
        "{reset} $role")) {
      for (String text : expand(template)) {
        String after = run(server, "set role fy_before; ", text, " select current_user::text", null);
        boolean serverChanges = after != REFUSED && !after.equals("fy_before");
        boolean guardChanges = SqlScript.parse(text).firstIdentityChange() > 0;
        compared++;
        if (serverChanges != guardChanges) {
          differ.add(text + " -> server: " + (serverChanges ? "runs what follows as " + after : "no change")
              + ", the guard reads " + (guardChanges ? "an identity change" : "none"));
        }
      }
    }
    return new Found(compared, differ);
  }

  /** SET and RESET of the two settings that change how the server lexes what follows. */
  private static Found lexingChanges(SimpleQueryWire server) throws Exception {
    List<String> differ = new ArrayList<>();
    int compared = 0;
    for (String template : List.of("set $standard_conforming_strings to on", "set {session} $standard_conforming_strings = off",
        "{reset} $standard_conforming_strings", "set $client_encoding to 'UTF8'", "{reset} $client_encoding",
        "set {local} $client_encoding = default", "set {names} 'UTF8'")) {
      for (String text : expand(template)) {
        boolean serverAccepts = run(server, "", text, "", null) != REFUSED;
        Tokens t = Lexer.tokenize(text);
        int[] changes = {0};
        LexingChange.find(t, 0, t.count(), -1, (kinds, start, after) -> changes[0] |= kinds);
        compared++;
        if (serverAccepts != (changes[0] != 0)) {
          differ.add(text + " -> server " + (serverAccepts ? "accepts it" : "refuses it") + ", the guard reads "
              + (changes[0] != 0 ? "a lexing change" : "none"));
        }
      }
    }
    return new Found(compared, differ);
  }

  /**
   * Names, unquoted, where the guard reads them at a decision: the user of SET SESSION
   * AUTHORIZATION (a reserved key word names none), the procedure of CALL, a savepoint. The server
   * names what it read in its error (none of them exists), or refuses the statement.
   */
  private static Found names(SimpleQueryWire server) throws Exception {
    List<String> bases = new ArrayList<>();
    for (String word : List.of("in", "is", "as", "asc", "desc", "distinct", "limit", "session_user", "some", "select",
        "union", "unique", "using", "cast", "check", "kiss", "iris", "sky", "k", "s", "i")) {
      bases.add(word);
      bases.add(word.toUpperCase(java.util.Locale.ROOT));
    }
    List<String> names = new ArrayList<>();
    for (String base : bases) {
      names.add(base);
      names.addAll(variants(base));
    }
    List<String> differ = new ArrayList<>();
    int compared = 0;
    for (String name : names) {
      String text = "set session authorization " + name;
      String expected = run(server, "", text, " select session_user::text", NO_SUCH_ROLE);
      String guard = guardSwitchesTo(text);
      compared++;
      if (!expected.equals(guard == null ? REFUSED : guard)) {
        differ.add(text + " -> server reads the user " + expected + ", the guard " + guard);
      }
      for (String qualified : List.of(name, "public." + name)) {
        text = "call " + qualified + "()";
        expected = run(server, "", text, "", Pattern.compile("procedure (.*)\\(\\) does not exist"));
        List<String> called = statement(text).calledProcedure();
        compared++;
        // where the server refuses the statement it runs nothing: only the names it reads are compared
        if (expected != REFUSED && !expected.equals(called == null ? REFUSED : String.join(".", called))) {
          differ.add(text + " -> server calls " + expected + ", the guard reads " + called);
        }
      }
      text = "release savepoint " + name;
      expected = run(server, "", text, "", Pattern.compile("savepoint \"(.*)\" does not exist"));
      String savepoint = TransactionControl.savepointName(statement(text));
      compared++;
      if (expected != REFUSED && !expected.equals(savepoint)) {
        differ.add(text + " -> server reads the savepoint " + expected + ", the guard " + savepoint);
      }
    }
    return new Found(compared, differ);
  }

  /**
   * SET search_path: the schemas the server puts in it (as SHOW names them) must be among those the
   * guard reads ({@link TransactionControl#searchPathSchemas}, which decides whether an external
   * schema there aborts the transaction): unquoted names with their letters varied, and the
   * parameter's own name varied and quoted (an unknown parameter sets no path, a quoted
   * {@code "search_path"} is the path).
   */
  private static Found searchPath(SimpleQueryWire server) throws Exception {
    List<String> texts = new ArrayList<>();
    for (String word : List.of("kiss", "sky", "iris", "k", "s", "i")) {
      for (String base : List.of(word, word.toUpperCase(java.util.Locale.ROOT))) {
        List<String> names = new ArrayList<>(variants(base));
        names.add(base);
        for (String name : names) {
          texts.add("set search_path to " + name);
          texts.add("set session search_path = public, " + name);
          texts.add("set \"search_path\" to " + name);
          texts.add("set \"SEARCH_PATH\" = " + name + ", public");
        }
      }
    }
    for (String template : List.of("set $search_path to kiss", "set {local} $search_path = kiss, public")) {
      texts.addAll(expand(template));
    }
    // a quoted list is split at its commas and trimmed of the server's whitespace only (scanner_isspace):
    // the chars Java's strip() also takes (computed) are name material
    for (char space : javaOnlySpaces()) {
      texts.add("set search_path to '" + space + "kiss," + space + "public" + space + "'");
    }
    List<String> differ = new ArrayList<>();
    int compared = 0;
    for (String text : texts) {
      String shown = run(server, "", text, " show search_path", null);
      List<String> serverNames = shown == REFUSED ? List.of() : listed(shown);
      List<String> guard = TransactionControl.searchPathSchemas(statement(text));
      compared++;
      boolean sets = shown != REFUSED && !shown.equals("\"$user\", public");
      if (sets ? !guard.containsAll(serverNames) : !guard.isEmpty() && shown != REFUSED) {
        differ.add(text + " -> server's search_path " + (shown == REFUSED ? "unchanged (refused)" : serverNames)
            + ", the guard reads " + guard);
      }
    }
    // Redshift may split a quoted list at its commas (no oracle here): each part trimmed of the server's
    // whitespace only, as PostgreSQL's SplitIdentifierString trims a list, must be among the guard's names
    for (char space : javaOnlySpaces()) {
      String text = "set search_path to '" + space + "kiss," + space + "public" + space + "'";
      List<String> guard = TransactionControl.searchPathSchemas(statement(text));
      compared++;
      if (!guard.containsAll(List.of(space + "kiss", space + "public" + space))) {
        differ.add(text + " -> split as the server trims, the parts keep U+" + Integer.toHexString(space) + "; the guard reads " + guard);
      }
    }
    return new Found(compared, differ);
  }

  /** The chars Java's {@code String.strip()} takes that the server's scanner does not count as whitespace. */
  static List<Character> javaOnlySpaces() {
    List<Character> spaces = new ArrayList<>();
    for (char c = 1; c < 0xFFFF; c++) {
      if (Character.isWhitespace(c) && " \t\n\r\f".indexOf(c) < 0) {
        spaces.add(c);
      }
    }
    return spaces;
  }

  /**
   * The names of a list as SHOW prints it: separated by commas, each a name as written or quoted
   * ({@code ""} for a quote; a quoted name may hold commas: a quoted string in SET search_path is one
   * name to PostgreSQL, where Redshift may split it, which the guard reads both ways).
   */
  private static List<String> listed(String shown) {
    List<String> names = new ArrayList<>();
    int i = 0;
    while (i < shown.length()) {
      while (i < shown.length() && (shown.charAt(i) == ',' || shown.charAt(i) == ' ')) {
        i++;
      }
      StringBuilder name = new StringBuilder();
      if (i < shown.length() && shown.charAt(i) == '"') {
        for (i++; i < shown.length(); i++) {
          if (shown.charAt(i) == '"' && (i + 1 >= shown.length() || shown.charAt(i + 1) != '"')) {
            i++;
            break;
          }
          name.append(shown.charAt(i));
          i += shown.charAt(i) == '"' ? 1 : 0;
        }
      } else {
        for (; i < shown.length() && shown.charAt(i) != ','; i++) {
          name.append(shown.charAt(i));
        }
      }
      if (name.length() > 0) {
        names.add(serverTrimmed(name.toString()));
      }
    }
    return names;
  }

  /** {@code text} without the server's whitespace at its ends. */
  private static String serverTrimmed(String text) {
    int from = 0;
    int to = text.length();
    while (from < to && " \t\n\r\f".indexOf(text.charAt(from)) >= 0) {
      from++;
    }
    while (to > from && " \t\n\r\f".indexOf(text.charAt(to - 1)) >= 0) {
      to--;
    }
    return text.substring(from, to);
  }

  /**
   * Transaction statements: the server accepts each exactly when the guard reads it as transaction
   * control; one the server refuses the guard reads as no such statement, or as one that aborts the
   * transaction (which a refused statement does).
   */
  private static Found transactionControl(SimpleQueryWire server) throws Exception {
    List<String> differ = new ArrayList<>();
    int compared = 0;
    for (String template : List.of("{commit}", "{rollback}", "{savepoint} s", "{release} {savepoint} s",
        "{rollback} {to} {savepoint} s", "{set} {transaction} {isolation} level {serializable}",
        "set transaction {read} {only}", "{start} {transaction}", "{begin}", "{abort}", "{end}", "{rollback} {work}")) {
      for (String text : expand(template)) {
        // inside a transaction (with a savepoint s for those that name it), so that every form is accepted as written plainly
        SimpleQueryWire.Answer answer = server.query((text.endsWith(" s") ? "begin; savepoint s; " : "begin; ") + text);
        server.query("rollback");
        boolean serverAccepts = answer.error() == null;
        TransactionControl guard = TransactionControl.of(statement(text));
        compared++;
        boolean control = guard != TransactionControl.NONE && guard != TransactionControl.ABORTS_A_TRANSACTION;
        if (serverAccepts != control) {
          differ.add(text + " -> server " + (serverAccepts ? "accepts it" : "refuses it") + ", the guard reads " + guard);
        }
      }
    }
    return new Found(compared, differ);
  }

  @Test
  void theGuardFoldsCaseAsTheServerDoes() throws Exception {
    assertThat(FOLDS.keySet()).as("letters some char beyond ASCII folds onto").contains('i', 'k', 's');
    Map<String, Found> found = new TreeMap<>();
    try (SimpleQueryWire server = SimpleQueryWire.redshiftLike(POSTGRES)) {
      for (String role : List.of("fy_user", "fy_before")) {
        server.query("drop role if exists " + role);
        assertThat(server.query("create role " + role).error()).isNull();
      }
      found.put("session authorization", sessionAuthorization(server));
      found.put("role", role(server));
      found.put("lexing changes", lexingChanges(server));
      found.put("names", names(server));
      found.put("transaction control", transactionControl(server));
      found.put("search path", searchPath(server));
    }
    List<String> differ = new ArrayList<>();
    int compared = 0;
    for (Map.Entry<String, Found> e : found.entrySet()) {
      System.out.printf("CaseFoldingServerTest %s: %d compared, %d differ%n", e.getKey(), e.getValue().compared(),
          e.getValue().differ().size());
      compared += e.getValue().compared();
      differ.addAll(e.getValue().differ());
    }
    System.out.printf("CaseFoldingServerTest: %d compared, %d differ (folds: %s)%n", compared, differ.size(), FOLDS);
    differ.stream().limit(60).map(SimpleQueryWire::printable).forEach(System.out::println);
    assertThat(compared).isGreaterThan(800);
    assertThat(differ).as("readings unlike the server's").isEmpty();
  }
}

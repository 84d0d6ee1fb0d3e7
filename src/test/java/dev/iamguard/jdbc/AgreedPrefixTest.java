package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlTokens;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A {@code ;} in a line comment is refused when a driver could split the text there (it reads an
 * earlier form otherwise than the server, and takes the comment for code). Before any such form,
 * every reader reads the text alike, and the split check lets the comment be: {@code -- note;
 * commit work} between statements, {@code -- daily drop; see the runbook} inside a COPY. Held to
 * the readers themselves: the Redshift driver's own splitter ({@link DriverSplitTest#pieces}) and
 * H2, which runs every statement of a text it is given, and pgjdbc's splitter (PostgreSQL targets).
 * The texts are made of the forms every reader reads alike (words, numbers, operators without
 * {@code /}, temporary tables' names, parameters standing apart, literals and quoted names holding
 * {@code ;}, {@code --}, {@code /}, {@code $}, braces, brackets, doubled quotes and line breaks,
 * literals continued across a comment line, untagged dollar quotes, block comments without a
 * slash, line comments of any printable ASCII); each form a reader may read otherwise, put before the
 * comment, brings the refusal back. The same holds for a {@code ;} in a literal or quoted name,
 * which the check for simple query mode reads afresh too.
 */
class AgreedPrefixTest {
  /** Code and literals every reader reads alike, each a whole token or group of tokens. */
  private static final String[] PLAIN = {"select 1 ", "select x ", "from t ", "where a = 'b' ", "count(*) ", "a - b ",
      "a + b <> c ", "(1, 2) ", "x::int ", "'it''s' ", "'a;b -- c' ", "'s3://lake/in/' ", "'x /* y' ", "'x //;'",
      "'*/;' ", "'two\nlines; -- x' ", "\"q;r\" ", "\"x--y\" ", "\"s\"\"t\" ", "\"s3://a/b\" ", "E'e' ", "B'01' ",
      "X'0f' ", "N'n' ", "'a'\n-- between; commit\n'b' ", "'c' -- gap ; set role bob\r\n 'd' ", "; ", ";", "\n", "\t",
      "\r\n", "\r", "-- plain; x\n", "-- ' $$ /* \\ ? { # [ ; select 1\n", "-- \" ; commit\n", "1.5e3 ", ".5 ",
      "t.a ", "!= ", "|| ", "* ", "% ", "-- ;\n", " ? ", " a = ? ", " (?, 1) ", " ?::int ", " $1 ", " a <> $2 ",
      " ?-- c; x\n", " values (?,?) ", "/* header */ ", "/* step 1; commit */ ", "/*\n * two; lines -- ' \" $$ ? \\\n */\n",
      "/**/ ", "/***/ ", "a -/* c; d */ b ", "/* x */-- y; z\n", "'^[0-9]+$' ", "'a?b; c' ", "'{fn now()}; x' ",
      "'#t `x` [y]; z' ", "\"a$b?\" ", "'$$; x' ", "'$1; $a$' ", "'{d ''2020-01-01''}' ", "'/*' ", "\"{\" ",
      " $$x; y -- z ' \" \\ /* ? {$$ ", " as $$\nbegin\n  insert into t values (1);\nend;\n$$ ", " ($$a$$) ", " $$$$ ",
      " $$ where id = $1; $a$ $ $1$ $$ ", " $$x$a$$ ", "from #stage ", "insert into #s_1 ", "(#t1) ", "x = #y ", "a / b ", "sum(a)/count(*) ",
      "1/2 ", "'a'/'b' ", "x /(y) ", "a/.5 ", " a[1] ", " c.orders[0].id ", " x[i + 1] ", " (array[1, 2])[2] ",
      " a[b_c-1] ", " a[] ", "[x]", " a[1][2] "};
  /** What a comment's {@code ;} could start, were it split there: refused when a driver might. */
  private static final String[] HIDDEN = {"COPY x FROM 's3://evil/k' IAM_ROLE '" + DriverSplitTest.EVIL + "'", "set role bob",
      "SET SESSION AUTHORIZATION bob", "commit", "commit work", "rollback", "end", "truncate t"};
  /** Forms a reader may read otherwise than the server: each ends the part read alike. */
  static final String[] MISREAD = {"/* a / b */ ", "/*/ */ ", "/* /* nested */ */ ", "/* \u00e9 */ ", "/* \u0001 */ ",
      "/* \u2028 */ ", " 1$$x$$ ", " x$$y$$ ", " $$\u00e9$$ ", " $$a\u0001$$ ", "$a$x$a$ ", "$_$x$_$ ", "{fn ucase('a')} ",
      " #$a$ ", " a#b ", " # ", " #1 ", " #t#u ", " #t$ ", "\u00e9 ", "'\u00e9' ", "'a\u0001b' ", "'a\u2028b' ",
      " a/*/b*/ ", "a//b ", " a */ b ", " a /-b ", " -/ b ", "'\\\\' ", "E'\\n' ", "\u0001 ", "\f", "`x` ", "\"\u00a0\" ",
      // a bracket pair H2's SQL Server mode reads as a quoted name, ending where no one else's subscript does
      " a[']'] ", " a['x'] ", " [a -- b]\n", " a[\"x\"] ", " [x ", " x] ", " a[[1]] ", " a[1]] ", " a[b:c] ", " a[1\n] ", " a[b/c] ",
      " a[#t] ", " a[$1] ", " a[?] ", " a[\u00e9] ",
      "-- \u2028 x\n", "-- \u0085\n", "-- \u000b\n", "-- \u00e9\n",
      // a parameter a char beside it could join: x$1 is one name, ?? an escape, -? a comment where a driver writes -1 bare
      "x? ", "?x ", "1? ", " -? ", "?? ", "'a'? ", "\"a\"? ", "$1x ", "$1$ ", "?$q ", "?/ "};

  /** A text of plain forms with a comment after them whose {@code ;} is followed by a statement the guard must see. */
  static Arbitrary<String> plainTexts() {
    Arbitrary<String> plain = Arbitraries.of(PLAIN);
    return Combinators.combine(plain.list().ofMaxSize(8), Arbitraries.of(HIDDEN), Arbitraries.of("", " ", ";\n"),
        plain.list().ofMaxSize(4)).as((before, hidden, after, rest) -> String.join("", before) + "-- note; " + hidden
            + "\n" + String.join("", rest));
  }

  /**
   * A text of plain forms with a literal or quoted name after them holding a {@code ;} followed by
   * a COPY: a driver that split there would send the COPY as a piece of its own (in simple query
   * mode a prepared text's pieces are sent the next even after one failed).
   */
  static Arbitrary<String> plainTextsWithALiteral() {
    Arbitrary<String> plain = Arbitraries.of(PLAIN);
    Arbitrary<String> holders = Arbitraries.of("select 'note; " + HIDDEN[0].replace("'", "''") + "' ",
        "select 1 as \"note; " + HIDDEN[0].replace("'", "") + "\" ", "select 'x' as a, 'note;\n" + HIDDEN[0].replace("'", "''") + "' ");
    return Combinators.combine(plain.list().ofMaxSize(8), holders, plain.list().ofMaxSize(4))
        .as((before, holder, rest) -> String.join("", before) + holder + String.join("", rest));
  }

  @Provide
  Arbitrary<String> texts() {
    return plainTexts();
  }

  @Provide
  Arbitrary<String> anyPlainTexts() {
    return Arbitraries.oneOf(plainTexts(), plainTextsWithALiteral());
  }

  @Provide
  Arbitrary<String> literalTexts() {
    return plainTextsWithALiteral();
  }

  /**
   * The Redshift driver's splitter and pgjdbc's, in either setting of
   * {@code standard_conforming_strings}, make each piece of such a text start and end where a
   * statement of the guard's reading does.
   */
  @Property(tries = 1_000)
  void theDriverSplitsATextReadAlikeOnlyAtItsCode(@ForAll("anyPlainTexts") String text) throws SQLException {
    // a prepared statement's pieces hold $1, $2, ... for its '?': each parameter is read as one '?' here
    String same = numberedAsOne(text);
    SqlTokens tokens = SqlTokens.of(same);
    // a piece starts and ends at a ';' the guard reads as code (pgjdbc leaves the ';' out), or at the text's ends
    TreeSet<Integer> bounds = new TreeSet<>(List.of(0, same.length()));
    for (int i = 0; i < tokens.count(); i++) {
      if (tokens.is(i, SqlTokens.Kind.SEMICOLON)) {
        bounds.add(tokens.start(i));
        bounds.add(tokens.end(i));
      }
    }
    for (boolean prepared : new boolean[] {false, true}) {
      for (boolean conforming : new boolean[] {false, true}) {
        List<String> redshift;
        try {
          redshift = DriverSplitTest.pieces(text, prepared, conforming);
        } catch (SQLException mixed) {
          // the Redshift driver sends nothing of a prepared text with a statement holding both $1 and ?
          assertThat(prepared && mixesParameters(text)).as("%s: %s", text, mixed.getMessage()).isTrue();
          assertThat(mixed.getMessage()).contains("parameter marker");
          redshift = null;
        }
        List<String> pgjdbc = new ArrayList<>();
        for (org.postgresql.core.NativeQuery query : org.postgresql.core.Parser.parseJdbcSql(
            org.postgresql.core.Parser.replaceProcessing(text, true, conforming), conforming, prepared, true, false, false)) {
          pgjdbc.add(query.nativeSql);
        }
        for (List<String> pieces : redshift == null ? List.of(pgjdbc) : List.of(redshift, pgjdbc)) {
          int cursor = 0;
          for (String piece : pieces) {
            String read = numberedAsOne(piece);
            int at = same.indexOf(read, cursor);
            assertThat(at).as("piece %s of %s", piece, text).isGreaterThanOrEqualTo(0);
            assertThat(bounds).as("where piece %s starts and ends in %s", piece, text).contains(at, at + read.length());
            cursor = at + read.length();
          }
        }
        if (redshift != null) {
          assertThat(pgjdbc).as("pgjdbc splits where the Redshift driver does: %s", text).hasSameSizeAs(redshift);
        }
      }
    }
  }

  /** Whether {@code text} holds a {@code ?} and a {@code $1}, {@code $2}, ... (a prepared statement of the Redshift driver and H2 refuse both). */
  static boolean mixesParameters(String text) {
    return text.indexOf('?') >= 0 && !numberedAsOne(text).equals(text);
  }

  /** {@code text} with each {@code $1}, {@code $2}, ... written as {@code ?}. */
  private static String numberedAsOne(String text) {
    return text.replaceAll("\\$[0-9]+", "?");
  }

  /**
   * The split checks let such a text be: a statement hidden in a comment, a statement cut by one,
   * and (for simple query mode) a statement hidden in a comment, literal or quoted name.
   */
  @Property(tries = 1_000)
  void theSplitCheckLetsATextReadAlikeBe(@ForAll("texts") String text, @ForAll("literalTexts") String literal) {
    assertThat(SqlScript.hiddenBySplitsOutsideCode(text)).as(text).isFalse();
    assertThat(SqlScript.hiddenBySplitsOutsideCode(literal)).as(literal).isFalse();
    assertThat(SqlScript.hiddenByDriverSplits(text)).as(text).isFalse();
    String copy = "COPY t FROM 's3://lake/in/t/' " + text.replace("-- note; ", "-- daily drop; ") + " IAM_ROLE '"
        + TestRegistry.LOADER + "'";
    assertThat(SqlScript.cutByDriverSplits(copy)).as(copy).isFalse();
  }

  /**
   * Any form a reader may read otherwise, anywhere before the comment, brings the refusal back:
   * the check reads the comment afresh from its {@code ;}, as it did for every comment before.
   */
  @Property(tries = 1_000)
  void aFormAReaderMayMisreadBeforeTheCommentBringsTheRefusalBack(@ForAll("texts") String text,
      @ForAll("misread") String form, @ForAll("fractions") double where) {
    int comment = text.indexOf("-- note; ");
    int at = insertionPoint(text, comment, where);
    // up to the comment's line end: what follows could make the hidden statement a certain syntax error
    String misread = text.substring(0, at) + form + text.substring(at, text.indexOf('\n', comment) + 1);
    assertThat(SqlScript.hiddenByDriverSplits(misread)).as(misread).isTrue();
    assertThat(SqlScript.hiddenBySplitsOutsideCode(misread)).as(misread).isTrue();
    String copy = "COPY t FROM 's3://lake/in/t/' " + form + " -- daily drop; see the runbook\n IAM_ROLE '"
        + TestRegistry.LOADER + "'";
    assertThat(SqlScript.cutByDriverSplits(copy)).as(copy).isTrue();
  }

  /** As {@link #aFormAReaderMayMisreadBeforeTheCommentBringsTheRefusalBack}, for a literal or quoted name holding the {@code ;}. */
  @Property(tries = 1_000)
  void aFormAReaderMayMisreadBeforeALiteralBringsTheRefusalBack(@ForAll("literalTexts") String text,
      @ForAll("misread") String form, @ForAll("fractions") double where) {
    int holder = text.lastIndexOf("select ", text.indexOf("note;"));
    int at = insertionPoint(text, holder, where);
    String misread = text.substring(0, at) + form + text.substring(at);
    assertThat(SqlScript.hiddenBySplitsOutsideCode(misread)).as(misread).isTrue();
  }

  /** The README's examples, as written there. */
  @Test
  void theReadmesExamplesAreLetBe() {
    assertThat(SqlScript.hiddenByDriverSplits("select 1;\n-- note; commit work\nselect 2")).isFalse();
    assertThat(SqlScript.hiddenByDriverSplits("select 1;\n-- step 2; truncate staging\nselect 2")).isFalse();
    assertThat(SqlScript.cutByDriverSplits("copy t from 's3://lake/in/t/' -- daily drop; see the runbook\niam_role '"
        + TestRegistry.LOADER + "'")).isFalse();
    assertThat(SqlScript.cutByDriverSplits("copy t from $q$s3://lake/in/t/$q$ -- daily drop; see the runbook\niam_role '"
        + TestRegistry.LOADER + "'")).isTrue();
    assertThat(SqlScript.hiddenByDriverSplits("create procedure p() as $$ begin truncate stage; end; $$ language plpgsql;\n"
        + "-- step 2; commit\ncall p()")).isFalse();
    assertThat(SqlScript.hiddenBySplitsOutsideCode("insert into log values ('loaded; truncate stage', ?)")).isFalse();
    assertThat(SqlScript.hiddenBySplitsOutsideCode("insert into log values (?, 'loaded; truncate stage')")).isFalse();
    assertThat(SqlScript.hiddenBySplitsOutsideCode("insert into log values (-?, 'loaded; truncate stage')")).isTrue();
    assertThat(SqlScript.hiddenBySplitsOutsideCode("insert into log values ($q$x$q$, 'loaded; truncate stage', ?)")).isTrue();
  }

  /** A char some reader may take for a line's end, inside the comment before its {@code ;}: the comment is read afresh. */
  @Test
  void aCommentHoldingALineEndOfAnotherReaderIsReadAfresh() {
    for (String odd : List.of("\u2028", "\u2029", "\u0085", "\u000b", "\f", "\u0001", "\u00e9")) {
      String text = "select 1 -- note" + odd + "; commit\n";
      assertThat(SqlScript.hiddenByDriverSplits(text)).as(text).isTrue();
      String copy = "COPY t FROM 's3://lake/in/t/' -- daily drop" + odd + "; see\n IAM_ROLE '" + TestRegistry.LOADER + "'";
      assertThat(SqlScript.cutByDriverSplits(copy)).as(copy).isTrue();
    }
  }

  @Provide
  Arbitrary<String> misread() {
    return Arbitraries.of(MISREAD);
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.doubles().between(0, 1);
  }

  /**
   * A place before {@code comment} where code may take another token: between two of the plain
   * forms (each ends with a blank, a {@code ;} or a line break, or is a comment line), never inside one.
   */
  private static int insertionPoint(String text, int comment, double where) {
    SqlTokens tokens = SqlTokens.of(text);
    List<Integer> places = new ArrayList<>(List.of(0));
    for (int i = 0; i < tokens.count() && tokens.end(i) <= comment; i++) {
      char after = tokens.end(i) < text.length() ? text.charAt(tokens.end(i)) : ' ';
      if (after == ' ' || after == '\n' || tokens.is(i, SqlTokens.Kind.SEMICOLON)) {
        places.add(tokens.end(i));
      }
    }
    places.add(comment);
    return places.get((int) Math.min(places.size() - 1, where * places.size()));
  }

  /**
   * H2 runs every statement of a text it is given, and reads the forms read alike as the guard
   * does: a comment's {@code ; create table} creates nothing; without the comment's {@code --}, the
   * same statement runs (the premise).
   */
  @Test
  void h2RunsNoStatementFromACommentReadAlike() throws SQLException {
    String[] before = {"select 1 as a", "select 'a;b -- c' as a", "select 'x //; y' as a", "select \"q;r\" from (select 1 as \"q;r\")",
        "select 'two\nlines; -- x' as a", "select 'it''s' as a, 2 - 1 as b",
        "select 'x /* y' as a", "select 1 as \"x--y\"", "select ? as a", "select 1 as a where 1 = ?",
        "select $1 as a, 'b; c' as b", "/* header; drop */ select 1 as a", "select /*\n * x; y\n */ 1 as a",
        "select '^[0-9]+$; {fn now()} #' as a", "select 1 as \"a$b[c]\"", "select $$a; b -- c ' d$$ as a",
        "select 6 / 3 as a, 'x; y' as b", "select sum(a)/count(*) as a from (select 1 as a)",
        "select array[1, 2][1 + 1] as a, 'x; y' as b", "select (array[3])[1] as a"};
    String[] between = {" ", "\n", ";\n", "; ", "\r\n", ";\r"};
    Random random = new Random(20261204);
    try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID());
        Statement statement = h2.createStatement()) {
      statement.execute("select 1; create table premise (a int)");
      assertThat(tables(statement, "PREMISE")).as("H2 runs the second statement of a text").isEqualTo(1);
      try (java.sql.PreparedStatement prepared = h2.prepareStatement("select ? as a; create table premise2 (a int)")) {
        prepared.setInt(1, 1);
        prepared.execute();
      }
      assertThat(tables(statement, "PREMISE2")).as("and of a prepared text").isEqualTo(1);
      int texts = 0;
      for (int n = 0; n < 300; n++) {
        String text = before[random.nextInt(before.length)] + between[random.nextInt(between.length)] + "-- note; create table m"
            + n + " (a int)\n" + (random.nextBoolean() ? "" : "; " + before[random.nextInt(before.length)]);
        assertThat(SqlScript.hiddenByDriverSplits(text.replace("create table", "commit; create table"))).as(text).isFalse();
        if (text.indexOf('?') < 0 && text.indexOf('$') < 0) {
          statement.execute(text);
        } else if (mixesParameters(text)) {
          org.assertj.core.api.Assertions.assertThatThrownBy(() -> h2.prepareStatement(text)).as(text)
              .hasMessageContaining("Cannot mix");
        } else {
          try (java.sql.PreparedStatement prepared = h2.prepareStatement(text)) {
            for (int p = 1; p <= prepared.getParameterMetaData().getParameterCount(); p++) {
              prepared.setInt(p, 1);
            }
            prepared.execute();
          }
        }
        texts++;
      }
      assertThat(tables(statement, "M%")).as("tables created from a comment").isZero();
      assertThat(texts).isEqualTo(300);
    }
  }

  /**
   * H2 in its SQL Server mode reads a bracket pair as a quoted name, in which {@code --} opens no
   * comment (the premise: it runs what follows {@code [a -- b];}, which the guard refuses to let
   * be), and ends a pair of names, numbers, blanks, dots, commas and lone signs where the guard ends
   * the subscript it reads: a comment's {@code ; create table} after such a pair creates nothing.
   */
  @Test
  void h2InItsSqlServerModeEndsABracketPairReadAlikeWhereTheGuardDoes() throws SQLException {
    String premise = "select 1 as [a -- b]; create table premise (a int)\n";
    String refused = premise.replace("create table", "commit; create table");
    assertThat(SqlScript.hiddenByDriverSplits(refused)).as(refused).isTrue();
    String[] pairs = {"select 1 as [a]", "select [a b] from (select 1 as [a b])", "select 1 as [x.y], 2 as [0]",
        "select [c-1] from (select 1 as [c-1])", "select 1 as [a + b, c]", "select 1 as [_]"};
    try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MSSQLServer");
        Statement statement = h2.createStatement()) {
      statement.execute(premise);
      assertThat(tables(statement, "PREMISE")).as("SQL Server mode runs what follows a bracketed --").isEqualTo(1);
      for (int n = 0; n < pairs.length; n++) {
        String text = pairs[n] + " -- note; create table m" + n + " (a int)\n";
        assertThat(SqlScript.hiddenByDriverSplits(text.replace("create table", "commit; create table"))).as(text).isFalse();
        statement.execute(text);
      }
      assertThat(tables(statement, "M%")).as("tables created from a comment").isZero();
    }
  }

  private static int tables(Statement statement, String like) throws SQLException {
    try (ResultSet found = statement.executeQuery(
        "select count(*) from information_schema.tables where table_schema = 'PUBLIC' and table_name like '" + like + "'")) {
      found.next();
      return found.getInt(1);
    }
  }
}

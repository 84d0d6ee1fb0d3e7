package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazon.redshift.core.NativeQuery;
import com.amazon.redshift.core.Parser;
import dev.iamguard.sql.SessionEffects;
import dev.iamguard.sql.SqlScript;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The Redshift driver (and pgjdbc) split a text at {@code ;} by their own lexer and send each piece
 * as a statement, which the server reads afresh. Their lexer disagrees with the server's: {@code /}{@code *}{@code /}
 * is a whole comment to them, a non-ASCII character next to {@code $} starts or ends a dollar quote
 * by Java's identifier classes. So a piece could start inside what the server and the guard read as
 * a {@code --} comment, and the server ran a COPY or a {@code SET ROLE} the guard never read
 * ({@code select 1 /}{@code *}{@code / ' *}{@code / -- ' ; COPY ...}, {@code select 1 as ×$$ -- $$ ; COPY ...}:
 * reading probe F1, F2). Whatever the text and the entry point, each piece the driver makes of a
 * text the guard sends is one the guard allows read alone, and changes the identity only where the
 * guard's reading of the whole text does; or nothing is sent.
 */
class DriverSplitTest {
  /** A role of another account: a COPY through it is denied. */
  static final String EVIL = "arn:aws:iam::123456789012:role/Evil";

  /** The pieces the target received, as the Redshift driver splits what it is given. */
  private final List<String> sent = new ArrayList<>();

  static List<String> pieces(String sql) throws SQLException {
    return pieces(sql, false);
  }

  /**
   * The pieces as the Redshift driver makes them (its {@code CachedQueryCreateAction}): escapes
   * processed, then split, with each {@code ?} sent as {@code $1}, {@code $2}, ... when
   * {@code parameterized} (a prepared statement, and {@code nativeSQL}), as written otherwise (a plain
   * statement, a batch entry).
   */
  static List<String> pieces(String sql, boolean parameterized) throws SQLException {
    return pieces(sql, parameterized, false);
  }

  /** {@link #pieces(String, boolean)} on a server with {@code standard_conforming_strings} as given. */
  static List<String> pieces(String sql, boolean parameterized, boolean conformingStrings) throws SQLException {
    List<String> pieces = new ArrayList<>();
    for (NativeQuery query : Parser.parseJdbcSql(Parser.replaceProcessing(sql, true, conformingStrings),
        conformingStrings, parameterized, true, false, true)) {
      pieces.add(query.nativeSql);
    }
    return pieces;
  }

  /** What the Redshift driver's {@code nativeSQL} answers: the parameterized pieces joined by {@code ;}. */
  static String nativeSql(String sql) throws SQLException {
    return nativeSql(sql, false);
  }

  /** {@link #nativeSql(String)} on a server with {@code standard_conforming_strings} as given. */
  static String nativeSql(String sql, boolean conformingStrings) throws SQLException {
    return String.join(";", pieces(sql, true, conformingStrings));
  }

  private Connection target() {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (self, method, args) -> {
          Class<?> type = method.getReturnType();
          if (method.getName().equals("nativeSQL")) {
            return nativeSql((String) args[0]);
          }
          if (Statement.class.isAssignableFrom(type)) {
            String prepared = args != null && args.length > 0 && args[0] instanceof String sql ? sql : null;
            List<String> batch = new ArrayList<>();
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (s, m, a) -> {
              if (m.getName().equals("addBatch") && a != null && a.length == 1 && a[0] instanceof String sql) {
                batch.add(sql);
              } else if (m.getName().equals("executeBatch")) {
                for (String sql : batch) {
                  sent.addAll(pieces(sql));
                }
              } else if (m.getName().startsWith("execute")) {
                boolean plain = a != null && a.length > 0 && a[0] instanceof String;
                sent.addAll(pieces(plain ? (String) a[0] : prepared, !plain));
              }
              return GuardCoverageTest.defaultValue(m.getReturnType());
            });
          }
          return method.getName().equals("getAutoCommit") ? true : GuardCoverageTest.defaultValue(type);
        });
  }

  interface Entry {
    void run(Connection connection, String sql) throws SQLException;
  }

  private static final Map<String, Entry> ENTRIES = Map.of(
      "execute", (c, sql) -> c.createStatement().execute(sql),
      "prepareStatement", (c, sql) -> c.prepareStatement(sql).execute(),
      "addBatch", (c, sql) -> {
        Statement statement = c.createStatement();
        statement.addBatch(sql);
        statement.executeBatch();
      });

  /**
   * The Redshift driver reads {@code $} and digits as a parameter of its own by
   * {@code Character.isDigit}, a digit beyond ASCII too, where the server reads {@code $\u0661$} as
   * a dollar quote's tag (a byte above 127 starts one): a prepared text's {@code ;} inside such a
   * quote is code to the driver, which splits there (the premise). For every such digit, whatever
   * the guard lets through is sent in pieces it read as they are.
   */
  @Test
  void aDollarAndADigitBeyondAsciiIsReadAsEachEntryPointSendsIt() throws SQLException {
    int digits = 0;
    for (char d = 0x80; d < Character.MAX_VALUE; d++) {
      if (!Character.isDigit(d)) {
        continue;
      }
      digits++;
      String quote = "$" + d + "$";
      String copy = "COPY x FROM 's3://evil/k' IAM_ROLE '" + EVIL + "'";
      String inside = "select " + quote + " ; " + copy + " ; " + quote;
      assertThat(pieces(inside, true)).as("the premise: the driver splits %s", inside).hasSizeGreaterThan(1);
      everyPieceSentIsOneTheGuardReadAsItIs(inside);
      // the server's quote ends before a ';' that the driver reads inside a comment
      everyPieceSentIsOneTheGuardReadAsItIs("select " + quote + " -- " + quote + " ;\n" + copy);
    }
    assertThat(digits).as("digits beyond ASCII").isGreaterThan(300);
  }

  @Property(tries = 600)
  void everyPieceTheDriverSendsIsOneTheGuardReadAsItIs(@ForAll("texts") String text) throws SQLException {
    everyPieceSentIsOneTheGuardReadAsItIs(text);
  }

  /**
   * A {@code ?} that a prepared statement (and {@code nativeSQL}) sends as {@code $1} and a plain
   * statement as written, after a name, a literal or a JDBC escape, before a dollar quote, a
   * literal or a comment (reading probe F3: {@code '{}'::jsonb?$q$ ' $q$ ; COPY ...} hid the COPY
   * from the reading the guard decided on, and {@code x?$q$ ' $q$ ' ; set role bob -- '} the
   * change of identity from the prepared text's).
   */
  @Property(tries = 600)
  void aPlaceholderIsReadAsEachEntryPointSendsIt(@ForAll("placeholderTexts") String text) throws SQLException {
    everyPieceSentIsOneTheGuardReadAsItIs(text);
  }

  @Provide
  Arbitrary<String> placeholderTexts() {
    Arbitrary<String> before = Arbitraries.of("select '{}'::jsonb", "select x", "select {fn ucase('a')} x",
        "select {fn ucase('a')} ", "select 'a'", "select \"x\"", "select 1", "{oj select x", "select $$a$$");
    Arbitrary<String> placeholders = Arbitraries.of("?", "??", "? ", "?|", "?1");
    Arbitrary<String> after = Arbitraries.of("$q$ ' $q$ ", "$q$ ' $q$ ' */ ", "$$ ' $$ ", "' ", "-- ' \n", "$q$ ",
        "/* ' */ ", "} ", "x ", "");
    Arbitrary<String> statements = Arbitraries.of("COPY x FROM $$s3://evil/k$$ IAM_ROLE $$" + EVIL + "$$",
        "COPY x FROM 's3://evil/k' IAM_ROLE '" + EVIL + "'", "set role bob");
    Arbitrary<String> tails = Arbitraries.of("", " ; -- '", " -- '", " ; -- $q$ '", " } '", "\n");
    return Combinators.combine(before, placeholders, after.list().ofMaxSize(2), Arbitraries.of("; ", " ; "),
        statements, tails).as((b, p, a, semicolon, statement, tail) -> b + p + String.join("", a) + semicolon
            + statement + tail);
  }

  /**
   * A text every reader reads alike up to a comment whose {@code ;} could start a statement the
   * guard must see ({@link AgreedPrefixTest}) is sent through every entry point, and the driver
   * splits it only where the guard reads code: no piece it sends is one the guard did not read.
   */
  @Property(tries = 300)
  void aTextReadAlikeIsSentAndSplitOnlyWhereTheGuardReadsCode(@ForAll("plainTexts") String text) throws SQLException {
    Connection guarded = TestRegistry.guarded(target());
    for (Map.Entry<String, Entry> entry : ENTRIES.entrySet()) {
      sent.clear();
      entry.getValue().run(guarded, text);
      assertThat(sent).as("%s: %s", entry.getKey(), text).isNotEmpty();
    }
    everyPieceSentIsOneTheGuardReadAsItIs(text);
  }

  @Provide
  Arbitrary<String> plainTexts() {
    // a prepared text holding both $1 and ? is one the driver sends nothing of
    return AgreedPrefixTest.plainTexts().filter(text -> !AgreedPrefixTest.mixesParameters(text));
  }

  private void everyPieceSentIsOneTheGuardReadAsItIs(String text) throws SQLException {
    Connection guarded = TestRegistry.guarded(target());
    Connection reference = TestRegistry.guarded(EscapeProcessingOffTest.plainTarget());
    for (Map.Entry<String, Entry> entry : ENTRIES.entrySet()) {
      boolean wholeChangesIdentity = SessionEffects.has(SqlScript.scan(wholeAsSent(text,
          entry.getKey().equals("prepareStatement"))), SessionEffects.IDENTITY);
      sent.clear();
      try {
        entry.getValue().run(guarded, text);
      } catch (SQLException refused) {
        assertThat(sent).as("%s refused, yet sent: %s", entry.getKey(), text).isEmpty();
        continue;
      }
      for (String piece : sent) {
        if (unterminated(piece)) {
          break; // the server refuses it, and the pieces after it go with it (one Sync; probe: held)
        }
        reference.createStatement().execute(piece); // throws when the guard denies the piece read alone
        if (SessionEffects.has(SqlScript.scan(piece), SessionEffects.IDENTITY)) {
          assertThat(wholeChangesIdentity).as("%s: a piece changes the identity the text hid: %s", entry.getKey(), piece)
              .isTrue();
        }
      }
    }
  }

  /**
   * The whole text as the server reads it where the driver rewrites it (its escapes applied, a
   * prepared statement's {@code ?} numbered), joined at the driver's splits; as written otherwise,
   * where the guard reads it so too and the pieces are checked against it.
   */
  private static String wholeAsSent(String text, boolean prepared) {
    if (text.indexOf('{') < 0 && (!prepared || text.indexOf('?') < 0)) {
      return text;
    }
    try {
      return String.join(";", pieces(text, prepared));
    } catch (SQLException driverRefuses) {
      return text; // the driver sends nothing of it (an escape or literal its lexer finds unterminated)
    }
  }

  /** A piece the server reads as ending inside a comment, literal, quoted name or dollar quote. */
  private static boolean unterminated(String piece) {
    dev.iamguard.sql.SqlTokens tokens = dev.iamguard.sql.SqlTokens.of(piece);
    for (int i = 0; i < tokens.count(); i++) {
      if (tokens.is(i, dev.iamguard.sql.SqlTokens.Kind.UNTERMINATED)) {
        return true;
      }
    }
    return false;
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> pieces = Arbitraries.of("select 1 ", "/*/ ", "' */ ", "-- ' ", "-- c; ", "; ", "\n", "'", "/* ",
        "*/ ", "$$", "as \u00d7$$ ", "-- $$ ", "$a\u00d7$ ", "' $a\u00d7$ ", "\u00d7$t$ ", "-- $t$ ", "x ", "-- ",
        // a JDBC escape, with ? that a prepared statement sends as $1 and a plain one as written (probe F3)
        "'{}'::jsonb", "{fn ucase('a')} ", "{oj ", "} ", "?", "??", "?| ", "$q$ ", "' $q$ ", "? ", "x?$q$ ");
    Arbitrary<String> statements = Arbitraries.of("COPY x FROM 's3://evil/k' IAM_ROLE '" + EVIL + "'",
        "set role bob", "SET SESSION AUTHORIZATION bob", "COPY x FROM $$s3://evil/k$$ IAM_ROLE $$" + EVIL + "$$");
    Arbitrary<String> tails = Arbitraries.of("", " ; -- */", "\n", " ; select 2", " -- '", " ; -- '", " ; -- $q$ '");
    return Combinators.combine(pieces.list().ofMaxSize(6), Arbitraries.of("; ", " ; ", ";"), statements, tails)
        .as((before, semicolon, statement, tail) -> String.join("", before) + semicolon + statement + tail);
  }

  @Test
  void theProbesTextsAreRefusedAndNothingIsSent() throws SQLException {
    Connection guarded = TestRegistry.guarded(target());
    String copy = "COPY x FROM 's3://evil/k' IAM_ROLE '" + EVIL + "'";
    for (String text : List.of("select 1 /*/ ' */ -- ' ; " + copy, "select 1 as \u00d7$$ -- $$ ; " + copy,
        "select $a\u00d7$ ' $a\u00d7$ -- ' ; " + copy, "select 1 as \u00d7$t$ -- $t$ ; " + copy,
        "select 1 as \u00d7$$ -- $$ ; set role bob", "select 1 /*/ ' */ -- ' ; '\nx' ; " + copy + " ; '")) {
      for (Map.Entry<String, Entry> entry : ENTRIES.entrySet()) {
        sent.clear();
        assertThatThrownBy(() -> entry.getValue().run(guarded, text)).as("%s: %s", entry.getKey(), text)
            .isInstanceOf(SQLException.class).hasMessageContaining("inside a '--' comment");
        assertThat(sent).as("%s: %s", entry.getKey(), text).isEmpty();
      }
    }
  }

  @Test
  void commentsWithSemicolonsStillRun() throws SQLException {
    Connection guarded = TestRegistry.guarded(target());
    for (String text : List.of("select 1 -- a; b", "select 1 -- step 1; load the table\n",
        "select 1; -- note; see below\nCOPY t FROM 's3://lake/in/t/' IAM_ROLE '" + TestRegistry.LOADER + "'",
        "select 1 -- ;", "select 1 -- a;   \nselect 2")) {
      sent.clear();
      guarded.createStatement().execute(text);
      assertThat(sent).as(text).isNotEmpty();
    }
  }
}

package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the SQL front end over generated input. */
class FrontEndProperties {
  static final List<String> AUTH_STATEMENTS = List.of(
      "copy venue from 's3://companyb/redshift/venue_pipe_' iam_role "
          + "'arn:aws:iam::123456789012:role/RoleA,arn:aws:iam::210987654321:role/RoleB' csv ignoreheader 1",
      "unload ('select * from venue where name = ''x''') to 's3://b/u/' iam_role default parallel off",
      "COPY s.t (a, b) FROM 's3://b/k' WITH CREDENTIALS AS 'aws_iam_role=arn:aws:iam::123456789012:role/R' REGION AS 'us-east-1'",
      "copy t from 's3://b/k' access_key_id 'AKIA' secret_access_key 'S' session_token 'T' gzip",
      "create external schema s from data catalog database 'db' iam_role 'arn:aws:iam::123456789012:role/R' "
          + "catalog_role 'arn:aws:iam::123456789012:role/C' create external database if not exists",
      "create external function f(int) returns int volatile lambda 'fn' iam_role 'arn:aws:iam::123456789012:role/R'",
      "create model m from (select a from t) target a function f iam_role default settings (s3_bucket 'b')",
      "create library l language plpythonu from 's3://b/l.zip' credentials 'aws_iam_role=arn:aws:iam::123456789012:role/R'",
      "create database d from integration 'i' iam_role 'SESSION'",
      "unload ($$select 1$$) to 's3://b/x' iam_role 'arn:aws:iam::123456789012:role/R'");

  static final List<String> SEPARATORS = List.of(
      " ", "  ", "\n", "\t", "\r\n", " -- comment; iam_role 'x'\n", " /* c; 'x' */ ", " /* a /* nested */ b */ ",
      "\n-- \n\n", " /**/ ");

  @Provide
  Arbitrary<String[]> spacedStatement() {
    Arbitrary<String> base = Arbitraries.of(AUTH_STATEMENTS);
    Arbitrary<List<String>> separators = Arbitraries.of(SEPARATORS).list().ofSize(64);
    return Combinators.combine(base, separators).as((sql, seps) -> new String[] {sql, respace(sql, seps)});
  }

  /** Rebuilds {@code sql} token by token with the given separators between tokens. */
  static String respace(String sql, List<String> separators) {
    Tokens t = Lexer.tokenize(sql);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < t.count(); i++) {
      if (i > 0) {
        out.append(separators.get(i % separators.size()));
      }
      out.append(t.text(i));
    }
    return out.toString();
  }

  @Property(tries = 300)
  void commentsAndWhitespaceBetweenTokensChangeNothing(@ForAll("spacedStatement") String[] pair) {
    List<SqlStatement> original = SqlScript.parse(pair[0]).statements();
    List<SqlStatement> spaced = SqlScript.parse(pair[1] + ";\n-- trailing").statements();
    assertThat(spaced).hasSameSizeAs(original).hasSize(1);
    RedshiftCommand a = original.get(0).command();
    RedshiftCommand b = spaced.get(0).command();
    assertThat(b.kind()).isEqualTo(a.kind());
    assertThat(b.problems()).isEmpty();
    assertThat(b.auth().form()).isEqualTo(a.auth().form());
    assertThat(b.auth().isDefault()).isEqualTo(a.auth().isDefault());
    assertThat(b.auth().roles()).isEqualTo(a.auth().roles());
    assertThat(b.auth().keywords()).isEqualTo(a.auth().keywords());
    assertThat(b.auth().credentialKeys()).isEqualTo(a.auth().credentialKeys());
    assertThat(b.catalogRoles()).isEqualTo(a.catalogRoles());
    assertThat(b.resources().s3()).isEqualTo(a.resources().s3());
  }

  @Provide
  Arbitrary<String> sqlish() {
    Arbitrary<String> pieces = Arbitraries.of(
        "'", "''", "\\", "\"", "$$", "$a$", "$1", "?", ";", "--", "/*", "*/", "\n", " ", "(", ")", ",",
        "copy", "unload", "iam_role", "credentials", "default", "create", "procedure", "as", "external",
        "schema", "function", "model", "grant", "assumerole", "set", "session", "authorization",
        "access_key_id", "'arn:aws:iam::123456789012:role/R'", "'s3://b/k'", "from", "to", "x", "1",
        "catalog_role", "begin", "execute", "\u00a0", "é", "\uFEFF");
    return pieces.list().ofMaxSize(60).map(list -> String.join("", list));
  }

  @Property
  void randomInputNeverThrowsAndStatementsStayInsideTheText(@ForAll("sqlish") String sql) {
    SqlScript script = SqlScript.parse(sql);
    int previousEnd = 0;
    for (SqlStatement statement : script.statements()) {
      assertThat(statement.start()).isGreaterThanOrEqualTo(previousEnd);
      assertThat(statement.end()).isGreaterThan(statement.start()).isLessThanOrEqualTo(sql.length());
      assertThat(statement.line()).isPositive();
      assertThat(statement.column()).isPositive();
      assertThat(statement.command()).isNotNull();
      previousEnd = statement.end();
    }
  }

  /** The hot-path scan never says "nothing to inspect" about a text the full parse would inspect. */
  @Property
  void theScanNeverMissesWhatTheFullParseFinds(@ForAll("sqlish") String sql) {
    SqlScript script = SqlScript.parse(sql);
    if (!script.needsInspection()) {
      assertThat(script.statements()).allSatisfy(s -> assertThat(s.command().needsInspection()).isFalse());
    }
  }

  /**
   * A text the scan passes (no {@link SessionEffects#INSPECT}) holds only statements the full parse
   * reads as other commands: none is a COPY, an UNLOAD, external DDL or an identity change, so none
   * is emulated on the local database. The JDBC layer sends such a text again without asking
   * ({@code ConnectionPolicy.cleanAgain}).
   */
  @Property
  void aTextTheScanPassesHoldsOnlyOtherCommands(@ForAll("sqlish") String sql) {
    if ((SqlScript.scan(sql) & SessionEffects.INSPECT) == 0) {
      assertThat(SqlScript.parse(sql).statements()).allSatisfy(s -> assertThat(s.command().kind()).isEqualTo(CommandKind.OTHER));
    }
  }

  @Property(tries = 3000)
  void aTextOfCommandWordsTheScanPassesHoldsOnlyOtherCommands(@ForAll("commandWords") String sql) {
    aTextTheScanPassesHoldsOnlyOtherCommands(sql);
  }

  @Property
  void aMutatedTextTheScanPassesHoldsOnlyOtherCommands(@ForAll("mutated") String sql) {
    aTextTheScanPassesHoldsOnlyOtherCommands(sql);
  }

  @Property(tries = 500)
  void aLongTextTheScanPassesHoldsOnlyOtherCommands(@ForAll("longStatements") String sql) {
    aTextTheScanPassesHoldsOnlyOtherCommands(sql);
  }

  /** Statements made of the words the classification reads, in any order, with the marks between them. */
  @Provide
  Arbitrary<String> commandWords() {
    Arbitrary<String> word = Arbitraries.of("alter", "ALTER", "table", "if", "exists", "only", "t", "s.t", "*", "rename",
        "owner", "append", "set", "location", "'s3://b/p'", "external", "schema", "identity", "provider", "create",
        "library", "model", "database", "procedure", "function", "grant", "revoke", "assumerole", "session",
        "authorization", "local", "copy", "unload", "iam_role", "default", "add", "partition", "drop", "to", "on",
        "\"table\"", ";", "(", ")", ",", "--c\n", "/*c*/", "\n", "$$", "'x'");
    return word.list().ofMaxSize(25).map(words -> String.join(" ", words));
  }

  /** The fast split (scan, then tokenize only statements that need it) equals the whole-text one. */
  @Property
  void theFastSplitEqualsTheWholeTextSplit(@ForAll("sqlish") String sql) {
    String text = sql.replace("\\", "");
    List<SqlStatement> fast = SqlScript.split(text).statements();
    List<SqlStatement> whole = SqlScript.splitWhole(text).statements();
    assertThat(fast).hasSameSizeAs(whole);
    for (int i = 0; i < fast.size(); i++) {
      SqlStatement a = fast.get(i);
      SqlStatement b = whole.get(i);
      assertThat(new int[] {a.start(), a.end(), a.line(), a.column(), a.index()})
          .containsExactly(b.start(), b.end(), b.line(), b.column(), b.index());
      assertThat(a.command().kind()).isEqualTo(b.command().kind());
      assertThat(a.command().problems()).isEqualTo(b.command().problems());
      assertThat(a.command().auth()).isEqualTo(b.command().auth());
    }
  }

  /**
   * The tokens a statement scan keeps for the grammar are, statement by statement, exactly those of
   * a tokenization of the statement's range alone (the grammar used to lex each range again), and a
   * statement that needs the grammar is followed by its semicolon or by nothing. Every statement
   * that starts with an auth-carrying command has its tokens kept.
   */
  @Property
  void theScanKeepsExactlyTheTokensOfEachStatementThatNeedsTheGrammar(@ForAll("sqlish") String sql) {
    Lexer.Statements found = Lexer.statements(sql);
    Tokens kept = found.tokens();
    for (int i = 0; i < found.count(); i++) {
      if (!found.needsParsing(i)) {
        continue;
      }
      Tokens alone = Lexer.tokenize(sql, found.start(i), found.end(i));
      if (found.tokenFrom(i) < 0) { // only an auth word past the first tokens of another statement
        assertThat(CommandParser.classify(alone, 0, Math.min(alone.count(), 6))).isEqualTo(CommandKind.OTHER);
        assertThat(alone.hasAuthWordIn(0, Math.min(alone.count(), 6))).isFalse();
        continue;
      }
      int from = found.tokenFrom(i);
      assertThat(found.tokenTo(i) - from).isEqualTo(alone.count());
      for (int k = 0; k < alone.count(); k++) {
        assertThat(new Object[] {kept.kind(from + k), kept.start(from + k), kept.end(from + k), kept.isAuthWord(from + k)})
            .containsExactly(alone.kind(k), alone.start(k), alone.end(k), alone.isAuthWord(k));
      }
      int confusable = alone.confusableIn(0, alone.count());
      assertThat(kept.confusableIn(from, found.tokenTo(i))).isEqualTo(confusable < 0 ? -1 : from + confusable);
      int after = found.tokenTo(i);
      assertThat(after == kept.count() || kept.kind(after) == TokenKind.SEMICOLON).isTrue();
    }
  }

  @Property
  void theScanKeepsExactlyTheTokensOfEachStatementInAScript(@ForAll("script") String sql) {
    theScanKeepsExactlyTheTokensOfEachStatementThatNeedsTheGrammar(sql);
    theFastSplitEqualsTheWholeTextSplit(sql);
  }

  @Property
  void theScanKeepsExactlyTheTokensOfMutatedStatements(@ForAll("mutated") String sql) {
    theScanKeepsExactlyTheTokensOfEachStatementThatNeedsTheGrammar(sql);
  }

  /** Scripts of auth-carrying, mutated, plain and random statements, kept and dropped ones interleaved. */
  @Provide
  Arbitrary<String> script() {
    Arbitrary<String> statement = Arbitraries.oneOf(Arbitraries.of(AUTH_STATEMENTS), mutated(), sqlish(),
        Arbitraries.of("select 1", "insert into t values ('a;b', $$c$$)", "select a\u00a0b from t", "begin",
            "set role r", "", " -- only a comment", "create table t (a int)", "grant select on t to u"));
    return statement.list().ofMaxSize(12).map(list -> String.join(";\n", list));
  }

  @Property
  void theFastSplitEqualsTheWholeTextSplitOnMutatedStatements(@ForAll("mutated") String sql) {
    theFastSplitEqualsTheWholeTextSplit(sql);
  }

  @Property
  void theScanNeverMissesAMutatedAuthStatement(@ForAll("mutated") String sql) {
    theScanNeverMissesWhatTheFullParseFinds(sql);
  }

  @Property
  void mutatedAuthStatementsNeverThrow(@ForAll("mutated") String sql) {
    assertThat(SqlScript.parse(sql).statements()).allSatisfy(s -> assertThat(s.command().kind()).isNotNull());
  }

  @Provide
  Arbitrary<String> mutated() {
    return Combinators.combine(
            Arbitraries.of(AUTH_STATEMENTS),
            Arbitraries.integers().between(0, 400),
            Arbitraries.integers().between(0, 5),
            Arbitraries.of("'", "\\", "$$", "/*", "--", ";", "\"", "?", ""))
        .as((sql, at, cut, insert) -> {
          int from = Math.min(at, sql.length());
          int to = Math.min(from + cut, sql.length());
          return sql.substring(0, from) + insert + sql.substring(to);
        });
  }

  /**
   * Statements of up to forty tokens whose auth words and commands stand anywhere: before, at and
   * past the first tokens the scan classifies, so that the scan's choice of what to keep changes in
   * the middle of a statement.
   */
  @Provide
  Arbitrary<String> longStatements() {
    Arbitrary<String> token = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.of("a", "1", ",", "(", ")", "=", "'v'", "t.c", "$$d$$", "\"q\"")),
        net.jqwik.api.Tuple.of(2, Arbitraries.of("iam_role", "credentials", "access_key_id", "catalog_role")),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("copy", "unload", "create", "external", "grant", "set", "\u00a0x")));
    Arbitrary<String> head = Arbitraries.of("select", "copy t", "insert into t", "update t set", "with w as", "");
    Arbitrary<String> statement = net.jqwik.api.Combinators.combine(head, token.list().ofMaxSize(40))
        .as((h, tokens) -> h + " " + String.join(" ", tokens));
    return statement.list().ofMinSize(1).ofMaxSize(4).map(list -> String.join(";\n", list));
  }

  @Property(tries = 1500)
  void theScanKeepsExactlyTheTokensOfLongStatements(@ForAll("longStatements") String sql) {
    theScanKeepsExactlyTheTokensOfEachStatementThatNeedsTheGrammar(sql);
    theFastSplitEqualsTheWholeTextSplit(sql);
    theScanNeverMissesWhatTheFullParseFinds(sql);
  }
}

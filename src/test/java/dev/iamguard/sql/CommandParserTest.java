package dev.iamguard.sql;

import static dev.iamguard.sql.GrammarTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the command parser says about a statement's end, space-like characters, RESET and ALTER TABLE. */
class CommandParserTest {
  private static final String COPY = "copy t from 's3://b/k' iam_role default delimiter '|' ";

  /** An auth-carrying statement whose last token runs to the end of the text cannot be read to its end. */
  @Test
  void anUnterminatedLastTokenIsNamedWhereItStarts() {
    String[][] cases = {
        {"/* note", "comment"}, {"\"x", "quoted identifier"}, {"$$x", "dollar-quoted literal"}, {"$t$x $t", "dollar-quoted literal"},
        {"'x", "string literal"}, {"E'x\\'", "string literal"}};
    for (String[] c : cases) {
      RedshiftCommand command = one(COPY + c[0]);
      assertThat(command.problems()).as(c[0]).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(Problem.Kind.UNPARSEABLE);
        assertThat(p.offset()).isEqualTo(COPY.length());
        assertThat(p.reason()).isEqualTo("unterminated " + c[1] + ": the statement cannot be read to its end");
      });
    }
    assertThat(one("select 1 /* open").problems()).isEmpty();
  }

  /**
   * A COPY without a readable table and FROM, or an UNLOAD without a parenthesised query and TO,
   * has no source or target to judge: one UNPARSEABLE problem at the token where the shape breaks.
   */
  @Test
  void aCopyOrUnloadWhoseShapeBreaksHasOneProblemWhereItBreaks() {
    String[][] cases = {
        {"copy ", "(select 1) to 's3://b/k'", "no table name follows COPY"},
        {"copy t. from ", "'s3://b/k'", "FROM does not follow the table"}, // the name read is t.from
        {"copy t (a) ", "'s3://b/k'", "FROM does not follow the table"},
        {"copy t ", "to 's3://b/k'", "FROM does not follow the table"},
        {"unload ", "'select 1' to 's3://b/k'", "the query is not in parentheses"},
        {"unload ('select 1') ", "'s3://b/k'", "TO does not follow the query"}};
    for (String[] c : cases) {
      String sql = c[0] + c[1] + " iam_role default";
      RedshiftCommand command = one(sql);
      assertThat(command.problems()).as(sql).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(Problem.Kind.UNPARSEABLE);
        assertThat(p.offset()).isEqualTo(c[0].length());
        assertThat(p.reason()).contains(c[2]).contains("cannot be found");
      });
      assertThat(command.resources().s3()).as(sql).isEmpty();
    }
    // an unterminated query is named as such, once: nothing after it can be read
    assertThat(one("unload ('select 1) to s3 iam_role default").problems()).singleElement()
        .satisfies(p -> assertThat(p.reason()).startsWith("UNLOAD query is an unterminated literal"));
    // the well-formed ones: no problem, the location found
    for (String sql : new String[] {"copy t from 's3://b/k' iam_role default", "copy s . t (a) from 's3://b/k' iam_role default",
        "unload ('select 1') to 's3://b/k' iam_role default", "copy job run j"}) {
      assertThat(one(sql).problems()).as(sql).isEmpty();
    }
  }

  /**
   * The other commands whose resource must be found: one problem, at the statement's name (the
   * missing clause has no place of its own), none when found.
   */
  @Test
  void aFunctionSchemaOrLibraryWithoutItsResourceHasOneProblem() {
    String[][] cases = {
        {"create external function ", "f(int) returns int volatile iam_role default", "names no LAMBDA"},
        {"create or replace external function ", "s.f(int, varchar) returns int stable sagemakr 'e' iam_role default",
            "SAGEMAKER 'endpoint'"},
        {"create external schema ", "s from data catalog iam_role default", "names no DATABASE 'name'"},
        {"create external schema if not exists ", "s iam_role default", "catalog database the role reads"},
        {"create library ", "l language plpythonu iam_role default", "names no FROM 'location'"},
        {"create external table ", "s.t (a int) stored as parquet 's3://b/t/'", "names no LOCATION"},
        {"create external table if not exists ", "s.t (a int) stored as parquet as select 1", "names no LOCATION"},
        {"create model ", "m from t target c function f iam_role default setings (s3_bucket 'b')",
            "names no SETTINGS (S3_BUCKET 'bucket') nor SAGEMAKER 'endpoint'"}};
    for (String[] c : cases) {
      String sql = c[0] + c[1];
      assertThat(one(sql).problems()).as(sql).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(Problem.Kind.UNPARSEABLE);
        assertThat(p.offset()).isEqualTo(c[0].length());
        assertThat(p.reason()).contains(c[2]).contains("cannot be found");
      });
    }
    for (String sql : new String[] {
        "create external function f(int) returns int volatile lambda 'f' iam_role default",
        "create external function f(int) returns int volatile sagemaker 'e' iam_role default",
        "create external schema s from data catalog database 'd' iam_role default",
        "create external schema s from kinesis iam_role default",
        "create external schema s from hive metastore database 'd' uri 'h' iam_role default",
        "alter external schema s iam_role default",
        "create library l language plpythonu from 's3://b/l.zip' iam_role default",
        "create library l language plpythonu from 'https://example.com/l.zip'",
        "create external table s.t (a int) stored as parquet location 's3://b/t/'",
        "create external table s.t stored as parquet location 's3://b/t/' as select 1",
        "create model m from t target c function f iam_role default settings (s3_bucket 'b')",
        "create model m function f(int) returns int sagemaker 'ep' iam_role default",
        "create external model m function f iam_role default model_type bedrock settings (model_id 'x')"}) {
      assertThat(one(sql).problems()).as(sql).isEmpty();
    }
    // a missing literal is named once, by the clause that lacks it
    assertThat(one("create external function f() returns int volatile lambda iam_role default").problems())
        .singleElement().satisfies(p -> assertThat(p.reason()).startsWith("LAMBDA function is not a quoted literal"));
  }

  static final String DEFAULT_THEN_LITERAL = "IAM_ROLE DEFAULT is followed by a quoted literal";

  /** An S3 literal the grammar places nowhere, and a schema source Redshift does not know, are problems where they stand. */
  @Test
  void aStrayLocationOrAnUnknownSchemaSourceIsAProblemWhereItStands() {
    String[][] cases = {
        {"copy t from 's3://b/k' iam_role default x ", "'s3://b/other'", "an S3 location stands where"},
        {"copy t from 's3://b/k' iam_role default gzip ", "$$s3://b/q$$", "an S3 location stands where"},
        // a literal right after DEFAULT is first of all no IAM_ROLE value the grammar allows
        {"unload ('select 1') to 's3://b/k' iam_role default ", "'s3://b/m'", DEFAULT_THEN_LITERAL},
        {"create external schema s from data ", "data catalog database 'd' iam_role default",
            "FROM DATA DATA CATALOG is no source Redshift knows"},
        {"create external schema s from ", "catalog data database 'd' iam_role default",
            "FROM CATALOG DATA is no source"}};
    for (String[] c : cases) {
      String sql = c[0] + c[1];
      assertThat(one(sql).problems()).as(sql).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(Problem.Kind.UNPARSEABLE);
        assertThat(p.reason()).contains(c[2]);
      });
    }
    assertThat(one("copy t from 's3://b/k' iam_role default x 's3://b/other'").problems().get(0).offset())
        .isEqualTo("copy t from 's3://b/k' iam_role default x ".length());
    // a literal right after the auth clause's last word is outside it; one written as placed but
    // read otherwise (an escape) is judged by its value
    assertThat(one("copy t from 's3://b/k' iam_role default gzip's3://b/other'").problems()).singleElement()
        .satisfies(p -> assertThat(p.reason()).startsWith("an S3 location stands where"));
    assertThat(one("copy t from 's3://b/k' iam_role default's3://b/other'").problems()).singleElement()
        .satisfies(p -> assertThat(p.reason()).startsWith(DEFAULT_THEN_LITERAL));
    assertThat(one("copy t from 's3://b/k' iam_role default json 's3://b/p' x 's3://b/\\x70'").problems()).isEmpty();
    assertThat(one("copy t from 's3://b/k' iam_role default x 's3://b/k'").problems()).isEmpty();
    // an S3 text inside the UNLOAD query, or a JSONPaths file placed as one, is no stray location
    assertThat(one("unload ('select ''s3://b/x''') to 's3://b/k' iam_role default").problems()).isEmpty();
    assertThat(one("copy t from 's3://b/k' iam_role default json 's3://b/p'").problems()).isEmpty();
  }

  /**
   * CREATE LIBRARY reads one archive: a second location written after it (side by side on a line,
   * after a comment, a comma, {@code ||} or the auth clause) is read by no clause, and the role may
   * read it (outside probe F3: allowed, its location unchecked). The archive alone, or another
   * archive source, is no problem (a literal on the next line continues the first: one location).
   */
  @Test
  void aSecondLocationOfCreateLibraryIsAProblemWhereItStands() {
    String head = "create library l language plpythonu from 's3://b/lib.zip'";
    for (String between : List.of(" ", " /* c */ ", ", ", " || ", " iam_role default ", " iam_role default region 'us-west-2' ")) {
      for (String second : List.of("'s3://other/x.zip'", "$$s3://other/x.zip$$", "'S3://other/'")) {
        String sql = head + between + second + (between.contains("iam_role") ? "" : " iam_role default");
        assertThat(one(sql).problems()).as(sql).singleElement().satisfies(p -> {
          assertThat(p.kind()).isEqualTo(Problem.Kind.UNPARSEABLE);
          assertThat(p.reason()).startsWith(between.endsWith("default ") ? DEFAULT_THEN_LITERAL
              : "an S3 location stands where");
          assertThat(p.offset()).isEqualTo(sql.indexOf(second));
        });
      }
    }
    assertThat(one(head + " iam_role default").problems()).isEmpty();
    assertThat(one("create or replace library l language plpythonu from 'https://example.com/l.zip' region as 'us-east-1'")
        .problems()).isEmpty();
  }

  /** A JSONPaths file far after the source (beyond the 64 tokens the decided-literal bits keep) is still placed. */
  @Test
  void aLocationFarAfterTheSourceIsStillPlaced() {
    StringBuilder sql = new StringBuilder("copy t from 's3://b/k' iam_role default");
    for (int i = 0; i < 40; i++) {
      sql.append(" timeformat 'auto'");
    }
    sql.append(" json 's3://b/paths.json'");
    RedshiftCommand command = one(sql.toString());
    assertThat(command.problems()).isEmpty();
    assertThat(command.resources().s3()).extracting(S3Location::uri).containsExactly("s3://b/k", "s3://b/paths.json");
    assertThat(one(sql + " x 's3://b/other'").problems()).singleElement()
        .satisfies(p -> assertThat(p.reason()).startsWith("an S3 location stands where"));
  }

  /** A name that holds a space-like character is named by that character's code point, never by the name. */
  @Test
  void aSpaceLikeCharacterIsNamedByItsCodePoint() {
    for (String space : new String[] {"\u00a0", "\u200b", "\ufeff", "\u3000"}) {
      String sql = COPY + "gzip" + space + "csv";
      RedshiftCommand c = one(sql);
      String code = String.format("U+%04X", (int) space.charAt(0));
      assertThat(c.problems()).as(code).singleElement().satisfies(p -> {
        assertThat(p.offset()).isEqualTo(COPY.length());
        assertThat(p.reason()).isEqualTo("a name holds " + code + ", which looks like a space but which Redshift reads "
            + "as part of the name; write a plain space");
      });
    }
    String hidden = "select a, copy\u00a0t from t";
    assertThat(one(hidden).problems()).singleElement().satisfies(p -> assertThat(p.offset()).isEqualTo(10));
    assertThat(one("select x\u00a0y from t").problems()).as("no command or auth word in its parts").isEmpty();
  }

  @Test
  void onlyResetOfTheSessionAuthorizationChangesWhoIsConnected() {
    assertThat(one("reset session authorization").kind()).isEqualTo(CommandKind.SET_SESSION_AUTHORIZATION);
    assertThat(one("RESET session_authorization").kind()).isEqualTo(CommandKind.SET_SESSION_AUTHORIZATION);
    assertThat(one("reset all").kind()).isEqualTo(CommandKind.OTHER);
    for (String other : new String[] {"reset search_path", "reset session x", "reset session"}) {
      assertThat(one(other).kind()).as(other).isEqualTo(CommandKind.OTHER);
      assertThat(SqlScript.scan(other) & SessionEffects.IDENTITY).as(other).isZero();
    }
    assertThat(SqlScript.scan("reset session authorization") & SessionEffects.IDENTITY).isNotZero();
  }

  /** Only an ALTER TABLE that may set a LOCATION is read further; the others cost no second look. */
  @Test
  void anAlterTableIsReadOnlyWhenItMaySetALocation() {
    for (String location : new String[] {"alter table s.t add partition (d='1') location 's3://b/p/'",
        "alter table s . t set location 's3://b/p/'", "alter table \"s\".t set location 's3://b/p/'",
        "alter table if exists t set location 's3://b/p/'", "alter table t partition (d='1') set location 's3://b/p/'"}) {
      RedshiftCommand c = one(location);
      assertThat(c.kind()).as(location).isEqualTo(CommandKind.ALTER_EXTERNAL_TABLE);
      assertThat(c.resources().s3()).extracting(S3Location::uri).containsExactly("s3://b/p/");
      assertThat(SqlScript.needsInspection(location)).isTrue();
    }
    for (String ordinary : new String[] {"alter table s.t owner to u", "alter table t rename to u",
        "alter table 1", "alter table t alter column c type int", "alter table if exists t append from u"}) {
      assertThat(one(ordinary).kind()).as(ordinary).isEqualTo(CommandKind.OTHER);
      assertThat(SqlScript.needsInspection(ordinary)).as(ordinary).isFalse();
    }
  }
}

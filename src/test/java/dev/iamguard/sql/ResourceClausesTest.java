package dev.iamguard.sql;

import static dev.iamguard.sql.ClauseOptionsTest.options;
import static dev.iamguard.sql.GrammarTest.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Resources named by literals: a database's source ARN, a region, a Lambda function, COPY's paths file. */
class ResourceClausesTest {
  private static final String GLUE = "arn:aws:glue:us-east-1:123456789012:database/sales";

  @Test
  void aDatabaseFromAGlueArnNamesItsCatalogDatabase() {
    String sql = "create database d from arn '" + GLUE + "' with data catalog schema s iam_role default";
    RedshiftCommand c = one(sql);
    assertThat(options(sql).get(0)).isEqualTo("FROM[ARN, " + GLUE + "]@from arn '" + GLUE + "'");
    assertThat(c.resources().catalogDatabase()).isEqualTo("sales");
    assertThat(c.resources().catalogArn()).isEqualTo(GLUE);
    RedshiftCommand share = one("create database d from arn 'arn:aws:redshift:us-east-1:123456789012:datashare:x/y' "
        + "iam_role default");
    assertThat(share.resources().catalogArn()).isNull();
    assertThat(share.resources().catalogDatabase()).isNull();
    RedshiftCommand catalog = one("create database d from arn 'arn:aws:glue:us-east-1:123456789012:catalog' iam_role default");
    assertThat(catalog.resources().catalogArn()).isEqualTo("arn:aws:glue:us-east-1:123456789012:catalog");
    assertThat(catalog.resources().catalogDatabase()).isNull();
    assertThat(one("create database d from arn 'arn:aws:glue:r:1:database/' iam_role default").resources()
        .catalogDatabase()).isEmpty();
    assertThat(options("create database d from arn ? iam_role default")).containsExactly("FROM[ARN]@from arn ?");
    assertThat(one("create database d from arn ? iam_role default").problems()).extracting(Problem::kind)
        .containsExactly(Problem.Kind.PARAMETER);
    assertThat(options("create database d from arn 'abc iam_role default")).containsExactly("FROM[ARN]@from arn");
    assertThat(one("create database d from arn 'abc iam_role default").problems()).extracting(Problem::reason)
        .containsExactly("FROM ARN is an unterminated literal");
    assertThat(options("create database d from integration 'i' iam_role default")).doesNotContain("FROM[ARN]@from");
  }

  @Test
  void aRegionWithOrWithoutAsAndValue() {
    assertThat(options("copy t from 's3://b/k' iam_role default region as 'us-east-1'"))
        .containsExactly("REGION[us-east-1]@region as 'us-east-1'");
    assertThat(one("copy t from 's3://b/k' iam_role default region 'eu-west-1'").resources().region()).isEqualTo("eu-west-1");
    assertThat(options("copy t from 's3://b/k' iam_role default region")).containsExactly("REGION[]@region");
    assertThat(options("copy t from 's3://b/k' iam_role default region as")).containsExactly("REGION[]@region as");
  }

  @Test
  void aLambdaFunctionMustBeAQuotedLiteral() {
    String head = "create external function f(int) returns int volatile lambda ";
    assertThat(one(head + "$$fn$$ iam_role default").resources().lambda()).isEqualTo("fn");
    assertThat(one(head + "'fn' iam_role default").resources().lambda()).isEqualTo("fn");
    RedshiftCommand open = one(head + "'fn iam_role default");
    assertThat(open.resources().lambda()).isNull();
    assertThat(open.problems()).extracting(p -> p.offset() + " " + p.reason())
        .containsExactly(head.length() + " LAMBDA function is an unterminated literal");
    RedshiftCommand parameter = one(head + "? iam_role default");
    assertThat(parameter.problems()).extracting(Problem::kind).containsExactly(Problem.Kind.PARAMETER);
    assertThat(parameter.options()).extracting(CommandOption::name).containsExactly("RETURNS", "VOLATILE");
    assertThat(one(head + "fn iam_role default").problems()).extracting(Problem::reason)
        .containsExactly("LAMBDA function is not a quoted literal but a word; write it as a single-quoted literal");
  }

  /** JSON, AVRO and FORMAT AS name a paths file (one key) unless their argument is a keyword such as 'auto'. */
  @Test
  void copysPathsFileIsALocationOfItsOwn() {
    for (String clause : List.of("json 's3://b/p.json'", "json as 's3://b/p.json' gzip", "format as avro 's3://b/p.json'",
        "format as json 's3://b/p.json'", "avro 's3://b/p.json'", "format json 's3://b/p.json'")) {
      RedshiftCommand c = one("copy t from 's3://b/k' iam_role default " + clause);
      assertThat(c.resources().s3()).as(clause).containsExactly(
          new S3Location("s3://b/k", S3Location.Access.READ, S3Location.Purpose.COPY_SOURCE),
          new S3Location("s3://b/p.json", S3Location.Access.READ, S3Location.Purpose.JSONPATHS));
    }
    for (String clause : List.of("format as json 'auto'", "json 'auto ignorecase'", "csv quote as 's3://b/not-a-path'",
        "delimiter 's3://x'")) {
      assertThat(one("copy t from 's3://b/k' iam_role default " + clause).resources().s3()).as(clause)
          .extracting(S3Location::purpose).containsExactly(S3Location.Purpose.COPY_SOURCE);
    }
  }

  @Test
  void suggestionsAreCloseCandidatesIgnoringCase() {
    List<String> keys = List.of("aws_iam_role", "aws_access_key_id", "token");
    assertThat(Spelling.nearest("AWS_IAM_ROLE", keys)).contains("aws_iam_role");
    assertThat(Spelling.nearest("aws_iam_rol", keys)).contains("aws_iam_role");
    assertThat(Spelling.nearest("tokn", keys)).contains("token");
    assertThat(Spelling.nearest("tkn", keys)).contains("token");
    assertThat(Spelling.nearest("xyzzy", keys)).isEmpty();
    assertThat(Spelling.nearest("x", List.of())).isEmpty();
    // at most 2 edits for short words, a third of the length for long ones
    assertThat(Spelling.nearest("ab", List.of("abcd"))).contains("abcd");
    assertThat(Spelling.nearest("ab", List.of("abcde"))).isEmpty();
    assertThat(Spelling.nearest("abcdefghi", List.of("abcdefxyz"))).contains("abcdefxyz");
    assertThat(Spelling.nearest("abcdefghi", List.of("abcdewxyz"))).isEmpty();
    // the first of equally close candidates wins
    assertThat(Spelling.nearest("cat", List.of("bat", "hat"))).contains("bat");
    assertThat(Spelling.nearest("cat", List.of("cab", "cat"))).contains("cat");
  }

  @Test
  void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
    assertThat(Spelling.distance("", "")).isZero();
    assertThat(Spelling.distance("abc", "")).isEqualTo(3);
    assertThat(Spelling.distance("", "abcd")).isEqualTo(4);
    assertThat(Spelling.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Spelling.distance("sitting", "kitten")).isEqualTo(3);
    assertThat(Spelling.distance("flaw", "lawn")).isEqualTo(2);
    assertThat(Spelling.distance("a", "b")).isEqualTo(1);
    assertThat(Spelling.distance("ab", "ba")).isEqualTo(2);
    assertThat(Spelling.distance("same", "same")).isZero();
    assertThat(Spelling.distance("abc", "abcx")).isEqualTo(1);
    // with swaps: a swap of neighbours is one edit, the other edits count as before
    assertThat(Spelling.distanceWithSwaps("ab", "ba")).isEqualTo(1);
    assertThat(Spelling.distanceWithSwaps("kitten", "sitting")).isEqualTo(3);
    assertThat(Spelling.distanceWithSwaps("acbd", "abcd")).isEqualTo(1);
    assertThat(Spelling.distanceWithSwaps("badc", "abcd")).isEqualTo(2);
    assertThat(Spelling.distanceWithSwaps("ca", "abc")).isEqualTo(3); // OSA: a swapped pair is not edited again
    assertThat(Spelling.distanceWithSwaps("", "abcd")).isEqualTo(4);
    assertThat(Spelling.distance("xabc", "abc")).isEqualTo(1);
  }
}

package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrammarTest {
  static final String A = "arn:aws:iam::123456789012:role/RoleA";
  static final String B = "arn:aws:iam::210987654321:role/RoleB";

  static RedshiftCommand one(String sql) {
    List<SqlStatement> statements = SqlScript.parse(sql).statements();
    assertThat(statements).hasSize(1);
    return statements.get(0).command();
  }

  static List<String> s3(RedshiftCommand command) {
    return command.resources().s3().stream().map(S3Location::uri).toList();
  }

  @Nested
  class Copy {
    @Test
    void roleChainSplitAtArnBoundaries() {
      RedshiftCommand c = one("copy venue from 's3://companyb/redshift/venue_pipe_' iam_role '" + A + "," + B + "';");
      assertThat(c.kind()).isEqualTo(CommandKind.COPY);
      assertThat(c.auth().form()).isEqualTo(AuthForm.IAM_ROLE);
      assertThat(c.auth().roles()).containsExactly(A, B);
      assertThat(c.auth().roleLiterals()).isEqualTo(1);
      assertThat(c.targetTable()).isEqualTo("venue");
      assertThat(c.resources().s3()).containsExactly(new S3Location(
          "s3://companyb/redshift/venue_pipe_", S3Location.Access.READ, S3Location.Purpose.COPY_SOURCE));
      assertThat(c.problems()).isEmpty();
    }

    @Test
    void roleNameWithCommaStaysOneRole() {
      String odd = "arn:aws:iam::123456789012:role/a,b";
      assertThat(one("copy t from 's3://b/k' iam_role '" + odd + "," + B + "'").auth().roles())
          .containsExactly(odd, B);
    }

    @Test
    void authClauseSpanAndValueSpan() {
      String sql = "copy t from 's3://b/k' IAM_ROLE '" + A + "' csv";
      AuthClause auth = one(sql).auth();
      assertThat(sql.substring(auth.span().start(), auth.span().end())).isEqualTo("IAM_ROLE '" + A + "'");
      assertThat(sql.substring(auth.valueSpan().start(), auth.valueSpan().end())).isEqualTo("'" + A + "'");
    }

    @Test
    void defaultRole() {
      RedshiftCommand c = one("COPY t FROM 's3://b/k' IAM_ROLE DEFAULT");
      assertThat(c.auth().isDefault()).isTrue();
      assertThat(c.auth().roles()).isEmpty();
      assertThat(c.auth().valueSpan()).isNotNull();
    }

    @Test
    void accessKeysKeepNoValues() {
      RedshiftCommand c = one("copy t from 's3://b/k' access_key_id 'AKIAEXAMPLE' secret_access_key 'wJalrSECRET' session_token 'TOKENVALUE'");
      assertThat(c.auth().form()).isEqualTo(AuthForm.ACCESS_KEYS);
      assertThat(c.auth().keywords()).containsExactly("ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN");
      assertThat(c.auth().sessionToken()).isTrue();
      assertThat(c.auth().usesKeys()).isTrue();
      assertThat(c.toString()).doesNotContain("AKIAEXAMPLE", "wJalrSECRET", "TOKENVALUE");
    }

    @Test
    void credentialsWithRole() {
      RedshiftCommand c = one("copy t from 's3://b/k' with credentials as 'aws_iam_role=" + A + "'");
      assertThat(c.auth().form()).isEqualTo(AuthForm.CREDENTIALS);
      assertThat(c.auth().roles()).containsExactly(A);
      assertThat(c.auth().usesKeys()).isFalse();
    }

    @Test
    void credentialsWithKeysAndToken() {
      RedshiftCommand c = one("copy t from 's3://b/k' credentials 'aws_access_key_id=AKIAX;aws_secret_access_key=SECRETX;token=TOKX'");
      assertThat(c.auth().credentialKeys()).containsExactly("aws_access_key_id", "aws_secret_access_key", "token");
      assertThat(c.auth().sessionToken()).isTrue();
      assertThat(c.auth().roles()).isEmpty();
      assertThat(c.toString()).doesNotContain("AKIAX", "SECRETX", "TOKX");
    }

    @Test
    void mixedFormsAreAllRecorded() {
      RedshiftCommand c = one("copy t from 's3://b/k' iam_role '" + A + "' access_key_id 'x' secret_access_key 'y'");
      assertThat(c.auth().form()).isEqualTo(AuthForm.IAM_ROLE);
      assertThat(c.auth().keywords()).containsExactly("IAM_ROLE", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY");
    }

    @Test
    void manifestJsonPathsAndRegion() {
      RedshiftCommand c = one("copy t from 's3://b/cust.manifest' iam_role default manifest "
          + "format as json 's3://b/paths.json' region 'us-west-2'");
      assertThat(c.resources().s3()).extracting(S3Location::purpose)
          .containsExactly(S3Location.Purpose.MANIFEST, S3Location.Purpose.JSONPATHS);
      assertThat(c.resources().region()).isEqualTo("us-west-2");
    }

    @Test
    void nonS3SourcesAreRecorded() {
      assertThat(one("copy t from 'dynamodb://Movies' iam_role default readratio 50").resources().otherSource())
          .isEqualTo("dynamodb://Movies");
      assertThat(one("copy t from 'emr://j-1/out/part-*' iam_role default").resources().otherSource())
          .isEqualTo("emr://j-1/out/part-*");
    }

    @Test
    void columnsAndQualifiedTarget() {
      RedshiftCommand c = one("copy \"Sales\".venue_new(venueid, \"VenueName\") from 's3://b/k' iam_role default");
      assertThat(c.targetTable()).isEqualTo("\"Sales\".venue_new");
      assertThat(c.targetColumns()).containsExactly("venueid", "VenueName");
    }

    @Test
    void optionsAreReadInOrder() {
      RedshiftCommand c = one("copy t from 's3://b/k' iam_role default csv quote as '%' ignoreheader 1 "
          + "null as '\\N' delimiter '|' dateformat 'auto' gzip maxerror as 5");
      assertThat(c.options()).extracting(CommandOption::name)
          .containsExactly("CSV", "QUOTE", "IGNOREHEADER", "NULL", "DELIMITER", "DATEFORMAT", "GZIP", "MAXERROR");
      assertThat(c.option("QUOTE").value()).isEqualTo("%");
      assertThat(c.option("NULL").value()).isEqualTo("\\N");
      assertThat(c.option("MAXERROR").value()).isEqualTo("5");
    }

    @Test
    void autoCopyJob() {
      RedshiftCommand c = one("COPY public.t FROM 's3://b/staging' IAM_ROLE '" + A + "' JOB CREATE my_job AUTO ON");
      assertThat(c.auth().roles()).containsExactly(A);
      assertThat(c.option("JOB").values()).containsExactly("CREATE", "MY_JOB", "AUTO", "ON");
    }
  }

  @Nested
  class Unload {
    @Test
    void queryTargetAndReads() {
      RedshiftCommand c = one("unload ('select * from venue v join sales s on v.id = s.id') "
          + "to 's3://companyb/redshift/venue_pipe_' iam_role '" + A + "," + B + "' parallel off");
      assertThat(c.kind()).isEqualTo(CommandKind.UNLOAD);
      assertThat(c.query().text()).isEqualTo("select * from venue v join sales s on v.id = s.id");
      assertThat(c.query().reads()).containsExactlyInAnyOrder("venue", "sales");
      assertThat(c.resources().s3()).containsExactly(new S3Location(
          "s3://companyb/redshift/venue_pipe_", S3Location.Access.WRITE, S3Location.Purpose.UNLOAD_TARGET));
      assertThat(c.auth().roles()).containsExactly(A, B);
    }

    @Test
    void queryThatJsqlParserCannotReadLeavesReadsEmpty() {
      RedshiftCommand c = one("unload ('select ;;; from') to 's3://b/u' iam_role default");
      assertThat(c.query().reads()).isEmpty();
      assertThat(c.problems()).isEmpty();
    }
  }

  @Nested
  class Ddl {
    @Test
    void createLibrary() {
      RedshiftCommand c = one("create or replace library f_urlparse language plpythonu from 's3://b/urlparse3.zip' "
          + "credentials 'aws_iam_role=" + A + "' region as 'us-east-1'");
      assertThat(c.kind()).isEqualTo(CommandKind.CREATE_LIBRARY);
      assertThat(c.objectName()).isEqualTo("f_urlparse");
      assertThat(c.resources().s3()).extracting(S3Location::purpose).containsExactly(S3Location.Purpose.LIBRARY);
      assertThat(c.resources().region()).isEqualTo("us-east-1");
      assertThat(c.auth().roles()).containsExactly(A);
    }

    @Test
    void externalSchemaFromDataCatalogWithCatalogRole() {
      RedshiftCommand c = one("create external schema spectrumexample from data catalog database 'exampledb' "
          + "region 'us-west-2' iam_role '" + A + "," + B + "' catalog_role 'SESSION' create external database if not exists");
      assertThat(c.kind()).isEqualTo(CommandKind.CREATE_EXTERNAL_SCHEMA);
      assertThat(c.resources().catalogDatabase()).isEqualTo("exampledb");
      assertThat(c.resources().schemaSource()).isEqualTo(SchemaSource.DATA_CATALOG);
      assertThat(c.resources().region()).isEqualTo("us-west-2");
      assertThat(c.auth().roles()).containsExactly(A, B);
      assertThat(c.catalogRoles()).containsExactly("SESSION");
      assertThat(c.problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "create external schema s from hive metastore database 'hive_db' uri '172.10.10.10' port 99 iam_role 'R'",
        "create external schema s from postgres database 'db' schema 'sc' uri 'h' port 5432 iam_role 'R' secret_arn 'arn:aws:secretsmanager:us-east-2:123456789012:secret:x'",
        "create external schema s from mysql database 'db' uri 'h' iam_role 'R' secret_arn 'arn:aws:secretsmanager:us-east-2:123456789012:secret:x'",
        "create external schema s from kinesis iam_role 'R'",
        "create external schema s from msk iam_role 'R' authentication iam cluster_arn 'arn:aws:kafka:us-east-1:123456789012:cluster/c/u'",
        "create external schema s from kafka iam_role 'R' authentication mtls uri 'b:9094' secret_arn 'arn:aws:secretsmanager:us-east-1:123456789012:secret:m'",
        "alter external schema s iam_role 'R'"})
    void externalSchemaSources(String sql) {
      RedshiftCommand c = one(sql);
      assertThat(c.kind()).isIn(CommandKind.CREATE_EXTERNAL_SCHEMA, CommandKind.ALTER_EXTERNAL_SCHEMA);
      assertThat(c.auth().roles()).containsExactly("R");
      assertThat(c.problems()).isEmpty();
      if (sql.contains("secret_arn")) {
        assertThat(c.resources().secretArn()).startsWith("arn:aws:secretsmanager:");
      }
    }

    @Test
    void externalSchemaFromRedshiftHasNoAuth() {
      RedshiftCommand c = one("CREATE EXTERNAL SCHEMA sales_schema FROM REDSHIFT DATABASE 'sales_db' SCHEMA 'public'");
      assertThat(c.auth()).isEqualTo(AuthClause.NONE);
      assertThat(c.resources().catalogDatabase()).isNull();
    }

    @Test
    void externalFunctionLambdaAndSageMaker() {
      RedshiftCommand lambda = one("create external function lambda_example(varchar) returns varchar volatile "
          + "lambda 'exampleLambdaFunction' iam_role '" + A + "," + B + "'");
      assertThat(lambda.kind()).isEqualTo(CommandKind.CREATE_EXTERNAL_FUNCTION);
      assertThat(lambda.resources().lambda()).isEqualTo("exampleLambdaFunction");
      assertThat(lambda.auth().roles()).containsExactly(A, B);
      RedshiftCommand sagemaker = one("CREATE OR REPLACE EXTERNAL FUNCTION f(varchar) RETURNS int IMMUTABLE "
          + "SAGEMAKER 'some_endpoint' IAM_ROLE default");
      assertThat(sagemaker.resources().sagemaker()).isEqualTo("some_endpoint");
      assertThat(sagemaker.auth().isDefault()).isTrue();
    }

    @Test
    void createModelFromQuery() {
      RedshiftCommand c = one("CREATE MODEL m FROM (SELECT a, iam_role FROM customers c JOIN orders o ON c.id = o.id) "
          + "TARGET churn FUNCTION predict IAM_ROLE default AUTO OFF MODEL_TYPE XGBOOST "
          + "HYPERPARAMETERS DEFAULT EXCEPT (NUM_ROUND '100') SETTINGS (S3_BUCKET 'mlbucket', KMS_KEY_ID 'k')");
      assertThat(c.kind()).isEqualTo(CommandKind.CREATE_MODEL);
      assertThat(c.query().reads()).containsExactlyInAnyOrder("customers", "orders");
      assertThat(c.auth().isDefault()).isTrue();
      assertThat(s3(c)).containsExactly("s3://mlbucket");
      assertThat(c.problems()).isEmpty();
    }

    @Test
    void remoteModelAndExternalModel() {
      RedshiftCommand remote = one("CREATE MODEL r FUNCTION f (varchar, int) RETURNS int SAGEMAKER 'ep' IAM_ROLE '" + A + "'");
      assertThat(remote.resources().sagemaker()).isEqualTo("ep");
      RedshiftCommand bedrock = one("CREATE EXTERNAL MODEL llm FUNCTION llm_fn IAM_ROLE '" + A
          + "' MODEL_TYPE BEDROCK SETTINGS (MODEL_ID 'anthropic.claude', PROMPT 'Summarize')");
      assertThat(bedrock.kind()).isEqualTo(CommandKind.CREATE_EXTERNAL_MODEL);
      assertThat(bedrock.auth().roles()).containsExactly(A);
    }

    @Test
    void createDatabaseRoleForms() {
      assertThat(one("CREATE DATABASE db7 IAM_ROLE default").auth().isDefault()).isTrue();
      assertThat(one("CREATE DATABASE db8 IAM_ROLE 'SESSION'").auth().isSession()).isTrue();
      RedshiftCommand c = one("CREATE DATABASE db26 FROM INTEGRATION 'id' WITH OWNER = o IAM_ROLE '" + A + "'");
      assertThat(c.kind()).isEqualTo(CommandKind.CREATE_DATABASE);
      assertThat(c.auth().roles()).containsExactly(A);
      assertThat(one("CREATE DATABASE db1").auth()).isEqualTo(AuthClause.NONE);
    }

    @Test
    void grantAndRevokeAssumeRole() {
      RedshiftCommand grant = one("grant assumerole on '" + A + "," + B + "', '" + A
          + "' to reg_user1, group etl, role loader, public for unload, external function, create model");
      assertThat(grant.kind()).isEqualTo(CommandKind.GRANT_ASSUMEROLE);
      assertThat(grant.grant().roles()).containsExactly(A + "," + B, A);
      assertThat(grant.grant().grantees()).containsExactly(
          new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.USER, "reg_user1"),
          new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.GROUP, "etl"),
          new AssumeRoleGrant.Grantee(AssumeRoleGrant.Grantee.Kind.ROLE, "loader"), AssumeRoleGrant.Grantee.EVERYONE);
      assertThat(grant.grant().commands()).containsExactly("UNLOAD", "EXTERNAL FUNCTION", "CREATE MODEL");
      RedshiftCommand revoke = one("revoke assumerole on all from public for all");
      assertThat(revoke.kind()).isEqualTo(CommandKind.REVOKE_ASSUMEROLE);
      assertThat(revoke.grant().onAll()).isTrue();
      assertThat(revoke.grant().grantees()).containsExactly(AssumeRoleGrant.Grantee.EVERYONE);
      assertThat(revoke.grant().commands()).containsExactly("ALL");
      assertThat(one("grant assumerole on default to u for copy").grant().onDefault()).isTrue();
    }

    @Test
    void sessionAuthorization() {
      assertThat(one("SET SESSION AUTHORIZATION 'user2'").sessionUser()).isEqualTo("user2");
      assertThat(one("set session authorization User3").sessionUser()).isEqualTo("user3");
      assertThat(one("set session authorization \"MixedCase\"").sessionUser()).isEqualTo("MixedCase");
      RedshiftCommand reset = one("RESET SESSION AUTHORIZATION");
      assertThat(reset.kind()).isEqualTo(CommandKind.SET_SESSION_AUTHORIZATION);
      assertThat(reset.sessionUser()).isNull();
      assertThat(one("set session authorization default").sessionUser()).isNull();
      assertThat(one("set session authorization ?").problems()).extracting(Problem::kind)
          .containsExactly(Problem.Kind.PARAMETER);
    }
  }

  @Nested
  class Procedures {
    @Test
    void copyInsideDollarQuotedBodyIsFoundWithExactOffsets() {
      String sql = "CREATE OR REPLACE PROCEDURE load_venue() AS $$\nBEGIN\n  TRUNCATE venue;\n"
          + "  COPY venue FROM 's3://b/venue' IAM_ROLE '" + A + "';\n  IF true THEN UNLOAD ('select 1') TO 's3://b/u' IAM_ROLE default; END IF;\nEND;\n$$ LANGUAGE plpgsql";
      RedshiftCommand c = one(sql);
      assertThat(c.kind()).isEqualTo(CommandKind.CREATE_PROCEDURE);
      assertThat(c.objectName()).isEqualTo("load_venue");
      assertThat(c.body()).extracting(s -> s.command().kind()).containsExactly(CommandKind.COPY, CommandKind.UNLOAD);
      SqlStatement copy = c.body().get(0);
      assertThat(copy.rewritable()).isTrue();
      assertThat(sql.substring(copy.start(), copy.end())).isEqualTo("COPY venue FROM 's3://b/venue' IAM_ROLE '" + A + "'");
      assertThat(copy.line()).isEqualTo(4);
      AuthClause auth = copy.command().auth();
      assertThat(sql.substring(auth.valueSpan().start(), auth.valueSpan().end())).isEqualTo("'" + A + "'");
      assertThat(c.dynamicAuth()).isEmpty();
    }

    @Test
    void singleQuotedBodyIsReadButNotRewritable() {
      RedshiftCommand c = one("create procedure p() as 'begin copy t from ''s3://b/k'' iam_role ''" + A + "''; end;' language plpgsql");
      assertThat(c.body()).hasSize(1);
      assertThat(c.body().get(0).command().auth().roles()).containsExactly(A);
      assertThat(c.body().get(0).rewritable()).isFalse();
    }

    /** A single-quoted body is read as the server decodes it: an escaped newline ends a comment. */
    @Test
    void aSingleQuotedBodyIsDecodedWithEveryEscapeBeforeItIsRead() {
      RedshiftCommand c = one("create procedure p() as 'begin -- note\\n copy t from ''s3://b/k'' iam_role ''" + A
          + "''; end;' language plpgsql");
      assertThat(c.body()).extracting(s -> s.command().kind()).containsExactly(CommandKind.COPY);
      assertThat(c.body().get(0).command().auth().roles()).containsExactly(A);
      RedshiftCommand octal = one("create procedure p() as 'begin \\143opy t from ''s3://b/k'' iam_role ''" + A
          + "''; end;' language plpgsql");
      assertThat(octal.body()).extracting(s -> s.command().kind()).containsExactly(CommandKind.COPY);
      RedshiftCommand doubtful = one("create procedure p() as 'begin \\u0063opy t from ''s3://b/k''; end;' language plpgsql");
      assertThat(doubtful.body()).isEmpty();
      assertThat(doubtful.problems()).singleElement().satisfies(p -> assertThat(p.reason()).contains("procedure body uses"));
    }

    @Test
    void aConstantExecuteTextIsParsedLikeAScript() {
      String sql = "create procedure p() as $$ begin "
          + "execute 'copy t from ''s3://b/k'' i' || 'am_role ''" + A + "'''; "
          + "execute ($q$unload ('select 1') to 's3://b/u' $q$ || E'iam_role \\'" + B + "\\''); "
          + "for r in execute 'copy t from ''s3://b/k2'' iam_role ''" + A + "''' loop null; end loop; "
          + "execute 'select 1; copy t from ''s3://b/k3'' iam_role default' into x; "
          + "end; $$ language plpgsql";
      RedshiftCommand c = one(sql);
      assertThat(c.dynamicAuth()).isEmpty();
      assertThat(c.problems()).isEmpty();
      assertThat(c.body()).extracting(s -> s.command().kind())
          .containsExactly(CommandKind.COPY, CommandKind.UNLOAD, CommandKind.COPY, CommandKind.COPY);
      assertThat(c.body()).extracting(SqlStatement::index).containsExactly(1, 2, 3, 4);
      assertThat(c.body()).allSatisfy(s -> assertThat(s.rewritable()).isFalse());
      assertThat(c.body().get(0).command().auth().roles()).containsExactly(A);
      assertThat(c.body().get(1).command().auth().roles()).containsExactly(B);
      assertThat(c.body().get(3).command().auth().isDefault()).isTrue();
      assertThat(c.body().get(0).text()).isEqualTo("copy t from 's3://b/k' iam_role '" + A + "'");
    }

    @Test
    void anExecuteWhoseTextIsNotConstantIsDynamic() {
      for (String execute : List.of("execute v", "execute 'copy ' || v", "execute format('copy %s', v)",
          "execute 'copy t'::text", "open c for execute v", "return query execute v", "execute", "execute 'a' ||")) {
        RedshiftCommand c = one("create procedure p(v varchar) as $$ begin " + execute + "; end; $$ language plpgsql");
        assertThat(c.dynamicAuth()).as(execute).hasSize(1);
        assertThat(c.body()).as(execute).isEmpty();
      }
      assertThat(one("create procedure p() as $$ begin select execute from t; end; $$ language plpgsql").dynamicAuth())
          .as("a column named execute is not dynamic SQL").isEmpty();
    }

    @Test
    void dynamicExecuteIsReported() {
      RedshiftCommand c = one("create procedure p(r varchar) as $$ begin "
          + "execute 'copy t from ''s3://b/k'' iam_role ''' || r || ''''; end; $$ language plpgsql");
      assertThat(c.body()).isEmpty();
      assertThat(c.dynamicAuth()).hasSize(1);
    }

    @Test
    void authClauseOutsideAStatementOfTheBodyIsUnparseable() {
      RedshiftCommand c = one("create procedure p() as $$ begin perform f() iam_role 'x'; end; $$ language plpgsql");
      assertThat(c.problems()).extracting(Problem::kind).containsExactly(Problem.Kind.UNPARSEABLE);
    }
  }

  @Nested
  class FailClosed {
    /** The spans a rewrite and the reports use cover every part of a prefixed or continued value. */
    @Test
    void authValueSpansCoverThePrefixAndEveryPart() {
      String continued = "copy t from 's3://b/k' iam_role 'arn:aws:iam::123456789012:'\n'role/RoleA' gzip";
      AuthClause auth = one(continued).auth();
      assertThat(continued.substring(auth.valueSpan().start(), auth.valueSpan().end()))
          .isEqualTo("'arn:aws:iam::123456789012:'\n'role/RoleA'");
      assertThat(continued.substring(auth.span().start(), auth.span().end()))
          .isEqualTo("iam_role 'arn:aws:iam::123456789012:'\n'role/RoleA'");
      String escaped = "copy t from 's3://b/k' iam_role E'" + A + "' gzip";
      AuthClause e = one(escaped).auth();
      assertThat(escaped.substring(e.valueSpan().start(), e.valueSpan().end())).isEqualTo("E'" + A + "'");
      assertThat(e.roles()).containsExactly(A);
      AuthClause keys = one("copy t from 's3://b/k' access_key_id N'AK' secret_access_key 'S'\n'K'").auth();
      assertThat(keys.keywords()).containsExactly("ACCESS_KEY_ID", "SECRET_ACCESS_KEY");
    }

    /** The server's value of every literal form the guard decides on: continued, E'', escapes applied. */
    @Test
    void decisionsUseTheValueTheServerReads() {
      RedshiftCommand continued = one("copy t from 's3://b/'\n'k' iam_role 'arn:aws:iam::123456789012:'\n-- the role\n'role/RoleA'");
      assertThat(continued.auth().roles()).containsExactly(A);
      assertThat(continued.auth().roleLiterals()).isEqualTo(1);
      assertThat(continued.resources().s3()).extracting(S3Location::uri).containsExactly("s3://b/k");
      assertThat(continued.problems()).isEmpty();
      RedshiftCommand escaped = one("copy t from E's3://b/\\x6b' iam_role 'arn:aws:iam::123456789012:role/Role\\101'");
      assertThat(escaped.auth().roles()).containsExactly(A);
      assertThat(escaped.resources().s3()).extracting(S3Location::uri).containsExactly("s3://b/k");
      RedshiftCommand lambda = one("create external function f() returns int volatile lambda 'f'\n'n' iam_role '" + A + "'");
      assertThat(lambda.resources().lambda()).isEqualTo("fn");
      RedshiftCommand catalog = one("create external schema s from data catalog database 'db'\n'2' iam_role '" + A + "'");
      assertThat(catalog.resources().catalogDatabase()).isEqualTo("db2");
      RedshiftCommand jsonPaths = one("copy t from 's3://b/k' iam_role '" + A + "' format as json 's3://b/\\x6a'");
      assertThat(jsonPaths.resources().s3()).extracting(S3Location::uri).containsExactly("s3://b/k", "s3://b/j");
    }

    @Test
    void aValueRedshiftMayReadOtherwiseIsAProblem() {
      for (String sql : List.of(
          "copy t from 's3://b/k' iam_role 'arn:aws:iam::123456789012:role/Role\\u0041'",
          "copy t from 's3://b/\\u006b' iam_role '" + A + "'",
          "unload ('select 1') to 's3://b/\\303' iam_role '" + A + "'",
          "create external function f() returns int volatile lambda 'f\\000' iam_role '" + A + "'",
          "copy t from 's3://b/k' iam_role '" + A + "' format as json 's3://b/\\U0000006a'")) {
        assertThat(one(sql).problems()).as(sql).anySatisfy(p -> {
          assertThat(p.kind()).isEqualTo(Problem.Kind.UNPARSEABLE);
          assertThat(p.reason()).contains("cannot be known");
        });
      }
    }

    @Test
    void aResourceThatIsNotAQuotedLiteralIsAProblem() {
      for (String sql : List.of(
          "copy t from U&'s3://b/k' iam_role '" + A + "'",
          "copy t from B'0101' iam_role '" + A + "'",
          "unload ('select 1') to iam_role '" + A + "'",
          "create external function f() returns int volatile lambda iam_role '" + A + "'",
          "create library l language plpythonu from")) {
        assertThat(one(sql).problems()).as(sql).anySatisfy(p -> assertThat(p.reason()).contains("quoted literal"));
      }
      assertThat(one("copy t from B'0101' iam_role '" + A + "'").problems())
          .anySatisfy(p -> assertThat(p.reason()).contains("bit string"));
      assertThat(one("copy t from 's3://b/k' iam_role B'01'").problems())
          .anySatisfy(p -> assertThat(p.reason()).isEqualTo("IAM_ROLE value is a bit string; write it as a single-quoted literal"));
    }

    @Test
    void aNoBreakSpaceInsideANameThatHidesAClauseIsAProblem() {
      for (String sql : List.of(
          "copy t from 's3://b/k' iam_role\u00a0'" + A + "'",
          "copy\u00a0t from 's3://b/k' iam_role '" + A + "'",
          "select 1; copy t from 's3://b/k'\u200biam_role '" + A + "'",
          "unload ('select 1') to\u00a0's3://b/k' iam_role '" + A + "'")) {
        assertThat(SqlScript.parse(sql).inspectable()).as(sql).anySatisfy(s -> assertThat(s.command().problems())
            .anySatisfy(p -> assertThat(p.reason()).containsPattern("U\\+[0-9A-F]{4}").contains("plain space")));
      }
      assertThat(SqlScript.parse("select 'x' as caf\u00e9, 1 as a\u00a0b").inspectable())
          .as("a no-break space in an ordinary name is left alone").isEmpty();
    }

    /** Found by the evasion suite after the merge of issue 10 with the Lambda base of issue 11. */
    @Test
    void aNoBreakSpaceThatHidesACommandInAProcedureBodyIsAProblem() {
      String function = "create\u00a0external function f(int) returns int volatile lambda "
          + "'arn:aws:lambda:us-west-2:999999999999:function:f'\u00a0iam_role '" + A + "'";
      for (String sql : List.of(
          "create procedure p() as $$ begin " + function + "; end; $$ language plpgsql",
          "create procedure p() as $$ begin if true then " + function + "; end if; end; $$ language plpgsql",
          "create procedure p() as 'begin " + function.replace("'", "''") + "; end;' language plpgsql",
          "create procedure p() as $$ begin\u00a0copy t from 's3://b/k' iam_role default; end; $$ language plpgsql")) {
        assertThat(one(sql).problems()).as(sql)
            .anySatisfy(p -> assertThat(p.reason()).contains("U+00A0").contains("plain space"));
      }
      assertThat(one("create procedure p() as $$ begin select 1 as a\u00a0b; end; $$ language plpgsql").problems())
          .as("a no-break space in an ordinary name of a body is left alone").isEmpty();
    }

    @Test
    void unterminatedRoleLiteral() {
      RedshiftCommand c = one("copy t from 's3://b/k' iam_role 'arn:aws:iam::1:role/x");
      assertThat(c.problems()).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(Problem.Kind.UNPARSEABLE);
        assertThat(p.reason()).contains("unterminated");
      });
    }

    @Test
    void parameterAsRole() {
      String sql = "copy t from 's3://b/k' iam_role ?";
      RedshiftCommand c = one(sql);
      assertThat(c.problems()).singleElement().satisfies(p -> {
        assertThat(p.kind()).isEqualTo(Problem.Kind.PARAMETER);
        assertThat(p.offset()).isEqualTo(sql.indexOf('?'));
      });
    }

    @Test
    void parameterAsLocation() {
      assertThat(one("copy t from ? iam_role default").problems()).extracting(Problem::kind)
          .containsExactly(Problem.Kind.PARAMETER);
      assertThat(one("unload ('select 1') to $1 iam_role default").problems()).extracting(Problem::kind)
          .containsExactly(Problem.Kind.PARAMETER);
    }

    /**
     * The JSONPaths file as a bind parameter, in every spelling of the option (probe 19a: allowed,
     * while the same location as a literal outside the role's prefixes is denied; a driver in simple
     * query mode inlines the value).
     */
    @Test
    void parameterAsJsonPathsFile() {
      for (String option : List.of("json ?", "json as ?", "json $1", "format as json ?", "format json $1",
          "format as avro ?", "avro ?", "json ? gzip", "json (?)", "json ?::varchar",
          "format as json 's3://b/paths.json' json ?")) {
        RedshiftCommand c = one("copy t from 's3://b/k' iam_role default " + option);
        assertThat(c.problems()).as(option).extracting(Problem::kind).contains(Problem.Kind.PARAMETER);
      }
      assertThat(one("copy t from 's3://b/k' iam_role default json 'auto'").problems()).isEmpty();
    }

    @Test
    void dollarQuotedRole() {
      assertThat(one("copy t from 's3://b/k' iam_role $$arn:aws:iam::123456789012:role/R$$").problems())
          .singleElement().extracting(Problem::reason).asString().contains("dollar-quoted");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "copy t from 's3://b/k' iam_role", "copy t from 's3://b/k' iam_role csv",
        "copy t from 's3://b/k' credentials", "copy t from 's3://b/k' access_key_id secret_access_key 'x'",
        "copy t from 's3://b/k' iam_role ''", "copy t from 's3://b/k' credentials ''",
        "copy t from 's3://b/k' credentials 'aws_iam_role'"})
    void missingOrEmptyValues(String sql) {
      assertThat(one(sql).problems()).isNotEmpty().allSatisfy(p -> assertThat(p.kind()).isEqualTo(Problem.Kind.UNPARSEABLE));
    }

    @Test
    void chainSplitOverSeveralLiteralsIsRecorded() {
      AuthClause adjacent = one("copy t from 's3://b/k' iam_role '" + A + "' '," + B + "'").auth();
      assertThat(adjacent.roleLiterals()).isEqualTo(2);
      // across a newline the two are one continued literal to the server: one value, both roles
      AuthClause continued = one("copy t from 's3://b/k' iam_role '" + A + "'\n'," + B + "'").auth();
      assertThat(continued.roleLiterals()).isEqualTo(1);
      assertThat(continued.roles()).containsExactly(A, B);
      AuthClause commaSeparated = one("copy t from 's3://b/k' iam_role '" + A + "', '" + B + "'").auth();
      assertThat(commaSeparated.roleLiterals()).isEqualTo(2);
      assertThat(commaSeparated.roles()).containsExactly(A, B);
    }

    @Test
    void problemReasonsNeverQuoteSecrets() {
      for (String sql : List.of(
          "copy t from 's3://b/k' credentials 'aws_access_key_id=AKIAQQQ;aws_secret_acess_key=SSSECRET'",
          "copy t from 's3://b/k' credentials 'AKIAQQQ:SSSECRET'",
          "copy t from 's3://b/k' secret_access_key AS 'SSSECRET'",
          "copy t from 's3://b/k' credentials 'aws_access_key_id=AKIAQQQ;SSSECRET=x'")) {
        RedshiftCommand c = one(sql);
        assertThat(c.problems()).isNotEmpty();
        assertThat(c.toString()).doesNotContain("AKIAQQQ", "SSSECRET");
      }
    }

    /** pgjdbc-style paired lists: what must be found, and what must not be taken for a clause. */
    @ParameterizedTest
    @ValueSource(strings = {
        "select iam_role from t", "select credentials, access_key_id from creds",
        "insert into t (iam_role) values ('x')", "update t set credentials = 'x'",
        "select 'copy t from ''s3://b'' iam_role ''x''' as text",
        "select $$ copy t from 's3://b' iam_role 'x' $$", "-- copy t from 's3://b' iam_role 'x'\nselect 1",
        "/* iam_role 'x' */ select 1", "select pg_get_iam_role_by_user('u')", "select default_iam_role()",
        "grant select on external table s.t to iam_role 'arn:aws:iam::123456789012:role/G'",
        "revoke all on external table s.t from iam_role 'arn:aws:iam::123456789012:role/G'",
        "call sp_get_credentials('x')", "alter table s.t add column iam_role varchar(20)",
        "alter table s.t rename to u", "alter table t owner to bob"})
    void mustNotMatch(String sql) {
      RedshiftCommand c = one(sql);
      assertThat(c.kind()).isEqualTo(CommandKind.OTHER);
      assertThat(c.problems()).isEmpty();
    }

    /** An external table carries no auth clause: it touches S3 with its schema's role (issue 11). */
    @Test
    void anExternalTableHasNoAuthClauseButALocation() {
      RedshiftCommand c = one("create external table s.t (a int) location 's3://b/t/'");
      assertThat(c.kind()).isEqualTo(CommandKind.CREATE_EXTERNAL_TABLE);
      assertThat(c.auth()).isEqualTo(AuthClause.NONE);
      assertThat(c.problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "select 1 iam_role 'x'", "analyze t credentials 'aws_iam_role=x'", "vacuum t access_key_id 'k'",
        "select * from t where a = 1 iam_role default", "explain copy t from 's3://b' iam_role 'x'",
        "with x as (select 1) copy t from 's3://b' iam_role 'x'"})
    void authShapesOutsideKnownCommandsAreUnparseable(String sql) {
      RedshiftCommand c = one(sql);
      assertThat(c.problems()).isNotEmpty();
    }
  }

  /** The statements issue 11 adds to the grammar, read as the AWS documentation writes them. */
  @Nested
  class ResourcesOfIssue11 {
    @Test
    void externalTablesAndTheirLocations() {
      RedshiftCommand create = one("CREATE EXTERNAL TABLE spectrum.sales (salesid integer, saledate date)"
          + " PARTITIONED BY (saledate date) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' STORED AS TEXTFILE"
          + " LOCATION 's3://awssampledbuswest2/tickit/spectrum/sales/' TABLE PROPERTIES ('numRows'='170000')");
      assertThat(create.kind()).isEqualTo(CommandKind.CREATE_EXTERNAL_TABLE);
      assertThat(create.targetTable()).isEqualTo("spectrum.sales");
      assertThat(create.resources().s3()).containsExactly(new S3Location(
          "s3://awssampledbuswest2/tickit/spectrum/sales/", S3Location.Access.READ, S3Location.Purpose.EXTERNAL_TABLE));
      assertThat(create.query()).isNull();

      RedshiftCommand cetas = one("CREATE EXTERNAL TABLE s.t PARTITIONED BY (c integer) STORED AS PARQUET"
          + " LOCATION 's3://bucket/folder/' AS (SELECT col1, col2 FROM s.source)");
      assertThat(cetas.resources().s3()).extracting(S3Location::access).containsExactly(S3Location.Access.WRITE);
      assertThat(cetas.query().text()).isEqualTo("SELECT col1, col2 FROM s.source");
      assertThat(one("create external table s.t stored as inputformat 'x' outputformat 'y' location 's3://b/f/'")
          .resources().s3()).extracting(S3Location::access).containsExactly(S3Location.Access.READ);
    }

    @Test
    void alterTableIsAnExternalTableCommandOnlyWithALocation() {
      for (String sql : List.of("ALTER TABLE s.t SET LOCATION 's3://b/f/'",
          "alter table \"S\".\"T\" partition (d='1') set location 's3://b/f/d=1/'",
          "alter table s.t add if not exists partition (d='1') location 's3://b/f/d=1/'",
          "alter table db.s.t add partition (d='1') location 's3://b/1/' partition (d='2') location 's3://b/2/'")) {
        RedshiftCommand c = one(sql);
        assertThat(c.kind()).as(sql).isEqualTo(CommandKind.ALTER_EXTERNAL_TABLE);
        assertThat(c.resources().s3()).as(sql).isNotEmpty()
            .allMatch(l -> l.purpose() == S3Location.Purpose.EXTERNAL_TABLE && l.access() == S3Location.Access.READ);
      }
      for (String sql : List.of("alter table s.t set file format parquet", "alter table s.t add column c int",
          "alter table t alter column c type varchar(10)", "alter table s.t append from u")) {
        assertThat(one(sql).kind()).as(sql).isEqualTo(CommandKind.OTHER);
      }
      // the scan keeps a few tokens: a name too long to see past is parsed, then found ordinary
      assertThat(SqlScript.needsInspection("alter table \"a\".\"b\".\"c\" rename to d")).isTrue();
      assertThat(SqlScript.parse("alter table \"a\".\"b\".\"c\" rename to d").needsInspection()).isFalse();
      assertThat(SqlScript.needsInspection("alter table s.t rename to u")).isFalse();
      assertThat(SqlScript.needsInspection("insert into spectrum.t select 1")).isFalse();
    }

    @Test
    void identityProviders() {
      RedshiftCommand create = one("CREATE IDENTITY PROVIDER oauth_standard TYPE awsidc NAMESPACE 'aad'"
          + " APPLICATION_ARN 'arn:aws:sso::123456789012:application/ssoins-1/apl-1'"
          + " IAM_ROLE 'arn:aws:iam::123456789012:role/Idc' AUTO_CREATE_ROLES TRUE INCLUDE GROUPS LIKE 'x%'");
      assertThat(create.kind()).isEqualTo(CommandKind.CREATE_IDENTITY_PROVIDER);
      assertThat(create.objectName()).isEqualTo("oauth_standard");
      assertThat(create.auth().roles()).containsExactly("arn:aws:iam::123456789012:role/Idc");
      assertThat(create.problems()).isEmpty();
      RedshiftCommand alter = one("ALTER IDENTITY PROVIDER oauth_standard NAMESPACE 'n' IAM_ROLE default DISABLE");
      assertThat(alter.kind()).isEqualTo(CommandKind.ALTER_IDENTITY_PROVIDER);
      assertThat(alter.auth().isDefault()).isTrue();
      assertThat(one("create identity provider azure_idp type azure namespace 'aad' parameters '{\"issuer\":\"x\"}'")
          .auth()).isEqualTo(AuthClause.NONE);
    }

    @Test
    void copyJobs() {
      RedshiftCommand create = one("COPY public.target_table FROM 's3://mybucket-bucket/staging-folder'"
          + " IAM_ROLE 'arn:aws:iam::123456789012:role/MyLoadRoleName' JOB CREATE my_copy_job_name AUTO ON");
      assertThat(create.option("JOB").values()).startsWith("CREATE", "MY_COPY_JOB_NAME");
      assertThat(create.resources().s3()).extracting(S3Location::purpose).containsExactly(S3Location.Purpose.COPY_SOURCE);
      assertThat(one("copy job run my_copy_job_name").option("JOB").values()).containsExactly("RUN", "my_copy_job_name");
      assertThat(one("COPY JOB LIST").option("JOB").values()).containsExactly("LIST");
      assertThat(one("copy job run j").targetTable()).isNull();
    }

    @Test
    void catalogsModelsAndManifests() {
      RedshiftCommand glue = one("create database d from arn 'arn:aws:glue:us-east-1:123456789012:database/db1'"
          + " with data catalog schema 'x' iam_role default");
      assertThat(glue.resources().catalogArn()).isEqualTo("arn:aws:glue:us-east-1:123456789012:database/db1");
      assertThat(glue.resources().catalogDatabase()).isEqualTo("db1");
      assertThat(one("create database d from arn 'arn:aws:redshift:us-east-1:123456789012:datashare:x/y'"
          + " with no data catalog schema").resources().catalogArn()).isNull();

      RedshiftCommand schema = one("create external schema s from data catalog database 'db' catalog_id '210987654321'"
          + " iam_role default");
      assertThat(schema.resources().catalogId()).isEqualTo("210987654321");
      assertThat(one("create external schema h from hive metastore database 'hdb' uri '10.0.0.1' port 9083 iam_role default")
          .resources().catalogDatabase()).isNull();

      RedshiftCommand byom = one("create model m from 's3://bucket/model.tar.gz' function f(int) returns float"
          + " iam_role default settings (s3_bucket 'work')");
      assertThat(byom.resources().s3()).extracting(S3Location::uri, S3Location::purpose).containsExactly(
          org.assertj.core.groups.Tuple.tuple("s3://bucket/model.tar.gz", S3Location.Purpose.MODEL_ARTIFACT),
          org.assertj.core.groups.Tuple.tuple("s3://work", S3Location.Purpose.MODEL_BUCKET));
      assertThat(one("create model m from 'training-job-1' function f(int) returns float iam_role default"
          + " settings (s3_bucket 'work')").resources().s3()).extracting(S3Location::purpose)
          .containsExactly(S3Location.Purpose.MODEL_BUCKET);
      assertThat(one("copy t from 's3://b/ssh_manifest' iam_role default ssh").resources().s3())
          .extracting(S3Location::purpose).containsExactly(S3Location.Purpose.SSH_MANIFEST);
    }
  }
}

package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Options the emulation does not implement are refused by name, never ignored. */
class RefusedOptionsTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R' ";

  @BeforeEach
  void setUp() throws Exception {
    db.sql("CREATE TABLE t (id INTEGER)");
    db.sql("INSERT INTO t VALUES (1)");
    LocalDb.put(root, "b/data/t.txt", "1\n");
  }

  @ParameterizedTest(name = "COPY ... {0}")
  @CsvSource(delimiter = ';', value = {
      "FIXEDWIDTH 'id:3'; FIXEDWIDTH",
      "SHAPEFILE; SHAPEFILE",
      "FORMAT AS PARQUET; FORMAT AS PARQUET",
      "FORMAT AS ORC; FORMAT AS ORC",
      "FORMAT AVRO 's3://b/jsonpaths.json'; FORMAT AS AVRO 's3://b/jsonpaths.json'",
      "AVRO 's3://b/jsonpaths.json'; FORMAT AS AVRO 's3://b/jsonpaths.json'",
      "PARQUET; PARQUET",
      "JSON 's3://b/jsonpaths.json'; JSON 's3://b/jsonpaths.json'",
      "FORMAT AS JSON 's3://b/jsonpaths.json'; JSONPaths files are not emulated",
      "ENCRYPTED; ENCRYPTED",
      "ENCRYPTED MASTER_SYMMETRIC_KEY 'k'; MASTER_SYMMETRIC_KEY",
      "LZOP; LZOP",
      "BZIP2; BZIP2",
      "ZSTD; ZSTD",
      "ACCEPTINVCHARS AS '^'; ACCEPTINVCHARS",
      "SSH; SSH",
      "JOB CREATE nightly AUTO ON; JOB",
      "MASTER_SYMMETRIC_KEY 'k'; MASTER_SYMMETRIC_KEY",
      "CSV ESCAPE; CSV cannot be used with ESCAPE",
      "JSON 'auto' DELIMITER ','; DELIMITER together with JSON",
  })
  void copyRefuses(String options, String named) {
    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/data/t'" + ROLE + options))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(named)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("0AI01", "22023"));
    assertThat(root.resolve("b/data/t.txt")).exists();
  }

  @org.junit.jupiter.api.Test
  void clientSideEncryptionInACredentialsStringIsRefused() {
    assertThatThrownBy(() -> db.run("COPY t FROM 's3://b/data/t' CREDENTIALS"
        + " 'aws_iam_role=arn:aws:iam::123456789012:role/R;master_symmetric_key=EXAMPLEKEY'"))
        .hasMessageContaining("MASTER_SYMMETRIC_KEY")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0AI01"));
  }

  @org.junit.jupiter.api.Test
  void theKeywordInsideTheUnloadQueryIsNotMistakenForTheClause() throws Exception {
    db.sql("CREATE TABLE keys (master_symmetric_key VARCHAR(10))");

    assertThat(db.run("UNLOAD ('select master_symmetric_key from keys') TO 's3://b/k_'" + ROLE).rows()).isZero();
  }

  @ParameterizedTest(name = "COPY FROM {0}")
  @CsvSource({"dynamodb://ProductCatalog", "emr://j-SAMPLE2B500FC/myoutput/part-*"})
  void copyRefusesNonS3Sources(String source) {
    assertThatThrownBy(() -> db.run("COPY t FROM '" + source + "'" + ROLE))
        .hasMessageContaining(source)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0AI01"));
  }

  @ParameterizedTest(name = "UNLOAD ... {0}")
  @CsvSource(delimiter = ';', value = {
      "PARQUET PARTITION BY (id); PARTITION",
      "FORMAT AS PARQUET ROWGROUPSIZE 64 MB; ROWGROUPSIZE",
      "FORMAT JSON; FORMAT AS JSON",
      "JSON; JSON",
      "PARTITION BY (id); PARTITION",
      "ENCRYPTED; ENCRYPTED",
      "KMS_KEY_ID '1234abcd' ENCRYPTED; KMS_KEY_ID",
      "MASTER_SYMMETRIC_KEY 'k' ENCRYPTED; MASTER_SYMMETRIC_KEY",
      "FIXEDWIDTH 'id:3'; FIXEDWIDTH",
      "ROWGROUPSIZE 64 MB; ROWGROUPSIZE",
      "CLEANPATH; CLEANPATH",
      "BZIP2; BZIP2",
      "ZSTD; ZSTD",
      "CSV ESCAPE; ESCAPE together with CSV",
      "CSV ADDQUOTES; ADDQUOTES together with CSV",
  })
  void unloadRefuses(String options, String named) {
    assertThatThrownBy(() -> db.run("UNLOAD ('select * from t') TO 's3://b/out/t_'" + ROLE + options))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(named)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0AI01"));
    assertThat(root.resolve("b/out")).doesNotExist();
  }

  /** A word that is no Redshift option at all is a typo: Redshift refuses it too, and the message suggests the option meant. */
  @ParameterizedTest(name = "{0} ... {1}")
  @CsvSource(delimiter = ';', value = {
      "COPY; DELIMETER '|'; COPY option DELIMETER is not a Redshift COPY option; did you mean DELIMITER?",
      "COPY; IGNOREHEADERS 1; did you mean IGNOREHEADER?",
      "COPY; TIMEFROMAT 'auto'; did you mean TIMEFORMAT?",
      "COPY; EMPTYASNUL; did you mean EMPTYASNULL?",
      "UNLOAD; ALLOWOVERWRTE; UNLOAD option ALLOWOVERWRTE is not a Redshift UNLOAD option; did you mean ALLOWOVERWRITE?",
      "UNLOAD; PARALEL OFF; did you mean PARALLEL?",
      "UNLOAD; MAXFILESIZ 10 MB; did you mean MAXFILESIZE?",
      "UNLOAD; FOOBARBAZQUUX; UNLOAD option FOOBARBAZQUUX is not a Redshift UNLOAD option (Redshift refuses",
  })
  void misspeltOptionsGetASuggestion(String command, String option, String message) {
    String sql = command.equals("COPY") ? "COPY t FROM 's3://b/data/t'" + ROLE + option
        : "UNLOAD ('select * from t') TO 's3://b/out/t_'" + ROLE + option;
    assertThatThrownBy(() -> db.run(sql))
        .isInstanceOf(java.sql.SQLSyntaxErrorException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42601"));
    assertThat(root.resolve("b/out")).doesNotExist();
  }
}

package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaSourceTest {
  private static RedshiftCommand schema(String from) {
    return SqlScript.parse("create external schema s " + from + " database 'd' iam_role default").statements().get(0)
        .command();
  }

  @ParameterizedTest
  @EnumSource(value = SchemaSource.class, names = "UNRECOGNIZED", mode = EnumSource.Mode.EXCLUDE)
  void everySourceReadsBackFromItsWords(SchemaSource source) {
    RedshiftCommand command = schema("from " + source.words().toLowerCase(Locale.ROOT));
    assertThat(command.resources().schemaSource()).isEqualTo(source);
    // only a catalog source names a Glue database the role must be allowed
    assertThat(command.resources().catalogDatabase()).isEqualTo(source.namesCatalog() ? "d" : null);
  }

  @ParameterizedTest
  @CsvSource({"from data, DATA_CATALOG", "from CATALOG, DATA_CATALOG", "from hive, UNRECOGNIZED",
      "from postgres mysql, UNRECOGNIZED", "from Hive Metastore, HIVE_METASTORE"})
  void partialOrMixedWordsAreReadStrictly(String from, SchemaSource expected) {
    assertThat(schema(from).resources().schemaSource()).isEqualTo(expected);
  }

  @Test
  void noFromIsTheDataCatalogWithoutASourceWritten() {
    RedshiftCommand command = schema("");
    assertThat(command.resources().schemaSource()).isNull();
    assertThat(command.resources().catalogDatabase()).isEqualTo("d");
  }

  @Test
  void whichSourcesNeedCredentials() {
    for (SchemaSource source : SchemaSource.values()) {
      boolean withoutRole = source == SchemaSource.REDSHIFT || source == SchemaSource.KAFKA;
      assertThat(source.needsCredentials(false)).as(source.name()).isEqualTo(!withoutRole);
      assertThat(source.needsCredentials(true)).as(source.name())
          .isEqualTo(!withoutRole && source != SchemaSource.MSK);
    }
    assertThat(SchemaSource.vocabulary()).containsExactly("DATA", "CATALOG", "HIVE", "METASTORE", "POSTGRES",
        "MYSQL", "KINESIS", "MSK", "KAFKA", "REDSHIFT");
  }
}

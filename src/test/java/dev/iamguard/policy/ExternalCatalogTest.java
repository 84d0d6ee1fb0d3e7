package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Names of external schemas and tables are read as Redshift reads them: dot-separated parts,
 * quotes removed ({@code ""} inside quotes is one quote), a dot or space inside quotes is part of
 * the name, space outside quotes is not, and every part folds to lower case.
 */
class ExternalCatalogTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "s.t                 | s",
      "S . T               | s",
      "db.s.t              | s",
      "\"Spectrum\".t      | spectrum",
      "\"a.b\".t           | a.b",
      "\"a b\".t           | a b",
      "\"a\"\"b\".t        | a\"b",
      "\"x\"\"\".t         | x\"",
      "s.\"t\"             | s",
      "\"s\".\"t\"\"\"     | s",
  })
  void theSchemaOfAQualifiedName(String name, String schema) {
    assertThat(ExternalCatalog.schemaOf(name)).isEqualTo(schema);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {"t", "\"s.t\"", "\"T\"", "\"a\"\"\""})
  void aNameWithoutSchemaHasNone(String name) {
    assertThat(ExternalCatalog.schemaOf(name)).isNull();
  }

  @Test
  void partsOfNamesAsWritten() {
    assertThat(ExternalCatalog.parts("a.b.c")).containsExactly("a", "b", "c");
    assertThat(ExternalCatalog.parts("\"x\"\"\"")).containsExactly("x\"");
    assertThat(ExternalCatalog.parts("\"A\"\"B\".\"c d\"")).containsExactly("a\"b", "c d");
    assertThat(ExternalCatalog.parts("s.\"t\"")).containsExactly("s", "t");
  }

  @Test
  void tablesAreFoundByTheirLastTwoPartsWhateverTheSpelling() {
    ExternalCatalog catalog = ExternalCatalog.NONE.withTable("Db.\"Spectrum\".\"Sales\"", "s3://b/sales/");
    assertThat(catalog.locations("spectrum.sales")).containsExactly("s3://b/sales/");
    assertThat(catalog.locations("SPECTRUM . SALES")).containsExactly("s3://b/sales/");
    assertThat(catalog.locations("other.sales")).isEmpty();
    assertThat(catalog.locations("sales")).isEmpty();
    assertThat(ExternalCatalog.NONE.withTable("sales", "s3://b/x/")).isSameAs(ExternalCatalog.NONE);
  }

  @Test
  void schemasFoldToLowerCase() {
    RoleArn role = RoleArn.of("arn:aws:iam::123456789012:role/Spectrum");
    ExternalCatalog catalog = ExternalCatalog.NONE.withSchema("\"My.Schema\"", List.of(role));
    assertThat(catalog.schema("my.schema")).contains(List.of(role));
    assertThat(catalog.schema("MY.SCHEMA")).contains(List.of(role));
    assertThat(catalog.schema("my")).isEmpty();
  }
}

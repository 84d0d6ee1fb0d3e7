package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.iamguard.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The AWS developer guide's code blocks that mention auth clauses (read in place from ../shared):
 * every block is processed without an exception, and a block may yield an unparseable clause only
 * when it is not SQL (a synopsis or a fragment, per the corpus MANIFEST) or is one of the
 * documented broken examples listed here with the reason.
 */
class AwsDocsCorpusTest {
  private static final String FOLDER = "corpus/external/aws-docs";

  /** Statement blocks that are wrong in the documentation itself (see the corpus README). */
  private static final Map<String, String> BROKEN_STATEMENTS = Map.of(
      "copy-usage_notes-access-permissions.sql#7", "secret_access_key literal has no closing quote",
      "copy-usage_notes-access-permissions.sql#8", "secret_access_key literal has no closing quote",
      "copy-usage_notes-access-permissions.sql#9", "stray '<' before aws_secret_access_key in CREDENTIALS",
      "copy-usage_notes-hll.sql#1", "FROMs3://...' has no opening quote, so the literal never closes",
      "load-from-emr-steps-run-copy.sql#1", "CREDENTIALS keyword directly followed by IAM_ROLE",
      "load-from-host-steps-run-copy.sql#1", "CREDENTIALS keyword directly followed by IAM_ROLE",
      "probability_metrics.sql#1", "brace notation IAM_ROLE {default}; SETTINGS parenthesis never closed");

  @Test
  void everyBlockIsProcessedAndOnlyNonSqlOrBrokenBlocksAreUnparseable() throws IOException {
    Path folder = SharedFiles.require(FOLDER);
    Map<String, String> kinds = manifestKinds(folder.resolve("MANIFEST.tsv"));
    Map<String, String> accepted = new TreeMap<>();
    int blocks = 0;
    int authStatements = 0;
    for (Path file : sqlFiles(folder)) {
      String[] parts = Files.readString(file).split("(?m)^(?=-- from doc_source/)");
      int block = 0;
      for (String text : parts) {
        if (text.isBlank()) {
          continue;
        }
        String id = file.getFileName() + "#" + ++block;
        blocks++;
        SqlScript[] parsed = new SqlScript[1];
        assertThatCode(() -> parsed[0] = SqlScript.parse(text)).as(id).doesNotThrowAnyException();
        boolean unparseable = false;
        for (SqlStatement statement : parsed[0].statements()) {
          unparseable |= statement.command().isUnparseable();
          if (statement.command().auth().form() != AuthForm.NONE) {
            authStatements++;
          }
        }
        if (unparseable) {
          String kind = kinds.get(id);
          String reason = BROKEN_STATEMENTS.containsKey(id) ? BROKEN_STATEMENTS.get(id) : kind;
          assertThat(kind).as("%s yields an unparseable clause but is a %s block", id, kind)
              .matches(k -> k.equals("synopsis") || k.equals("fragment") || BROKEN_STATEMENTS.containsKey(id));
          accepted.put(id, reason);
        }
      }
    }
    assertThat(accepted.keySet()).as("every documented broken statement is caught")
        .containsAll(BROKEN_STATEMENTS.keySet());
    assertThat(blocks).isEqualTo(269);
    assertThat(authStatements).isGreaterThan(200);
    accepted.forEach((id, reason) -> System.out.println("aws-docs accepted as malformed: " + id + " (" + reason + ")"));
    System.out.println("aws-docs: " + blocks + " blocks, " + authStatements + " statements with an auth clause, "
        + accepted.size() + " blocks accepted as malformed");
  }

  private static List<Path> sqlFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
  }

  private static Map<String, String> manifestKinds(Path manifest) throws IOException {
    Map<String, String> kinds = new HashMap<>();
    for (String line : Files.readAllLines(manifest)) {
      String[] columns = line.split("\t", -1);
      if (columns.length >= 5 && !columns[0].equals("sql_file")) {
        kinds.put(columns[0] + "#" + columns[1], columns[4]);
      }
    }
    return kinds;
  }
}

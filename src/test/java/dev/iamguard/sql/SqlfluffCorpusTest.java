package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Agreement with a peer parser: sqlfluff's Redshift fixtures (read in place from ../shared). For
 * every fixture the statement count equals the number of {@code statement} nodes of its parse
 * tree, and every auth clause in the tree equals the one iamguard extracts.
 */
class SqlfluffCorpusTest {
  private static final String FOLDER = "corpus/external/sqlfluff-redshift";

  /** An auth clause as sqlfluff's tree shows it. */
  record Clause(AuthForm form, boolean isDefault, List<String> roles, boolean sessionToken) {}

  @Test
  void statementCountsAndAuthClausesAgreeWithTheParseTrees() throws IOException {
    Path folder = SharedFiles.require(FOLDER);
    List<Path> fixtures;
    try (Stream<Path> files = Files.list(folder)) {
      fixtures = files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
    int clauses = 0;
    int catalogRoles = 0;
    for (Path sqlFile : fixtures) {
      String name = sqlFile.getFileName().toString();
      List<Object> treeStatements = statementNodes(folder.resolve(name.replace(".sql", ".yml")));
      List<SqlStatement> statements = SqlScript.parse(Files.readString(sqlFile)).statements();
      assertThat(statements).as("statements in %s", name).hasSize(treeStatements.size());
      for (int i = 0; i < statements.size(); i++) {
        List<List<Object[]>> expected = new ArrayList<>();
        List<List<Object[]>> expectedCatalog = new ArrayList<>();
        collect(treeStatements.get(i), expected, expectedCatalog);
        RedshiftCommand command = statements.get(i).command();
        String where = name + " statement " + (i + 1);
        assertThat(expected.size()).as("auth clauses of %s", where).isLessThanOrEqualTo(1);
        if (expected.isEmpty()) {
          assertThat(command.auth().form()).as(where).isEqualTo(AuthForm.NONE);
        } else {
          Clause clause = clause(expected.get(0));
          assertThat(new Clause(command.auth().form(), command.auth().isDefault(), command.auth().roles(),
              command.auth().sessionToken())).as(where).isEqualTo(clause);
          clauses++;
        }
        List<String> catalog = expectedCatalog.isEmpty() ? List.of() : chain(literal(expectedCatalog.get(0)));
        assertThat(command.catalogRoles()).as("catalog roles of %s", where).isEqualTo(catalog);
        catalogRoles += expectedCatalog.size();
        assertThat(command.problems()).as("problems of %s", where).isEmpty();
      }
    }
    assertThat(fixtures).hasSize(79);
    assertThat(clauses).isEqualTo(71);
    assertThat(catalogRoles).isEqualTo(1);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> statementNodes(Path yml) throws IOException {
    Map<String, Object> tree = (Map<String, Object>) new Load(LoadSettings.builder().build())
        .loadFromString(Files.readString(yml));
    Object file = tree.get("file");
    List<Object> entries = file instanceof List ? (List<Object>) file : List.of(file);
    List<Object> statements = new ArrayList<>();
    for (Object entry : entries) {
      if (entry instanceof Map && ((Map<String, Object>) entry).containsKey("statement")) {
        statements.add(((Map<String, Object>) entry).get("statement"));
      }
    }
    return statements;
  }

  /**
   * Finds the clauses sqlfluff marks: {@code authorization_segment}, {@code iam_role_clause}, or a
   * sibling {@code keyword: iam_role / catalog_role} followed by its value. Each clause is a list
   * of (node type, text) pairs.
   */
  @SuppressWarnings("unchecked")
  private static void collect(Object node, List<List<Object[]>> auth, List<List<Object[]>> catalog) {
    if (node instanceof Map) {
      for (Map.Entry<String, Object> entry : ((Map<String, Object>) node).entrySet()) {
        if (entry.getKey().equals("authorization_segment") || entry.getKey().equals("iam_role_clause")) {
          auth.add(flatten(entry.getValue()));
        } else {
          collect(entry.getValue(), auth, catalog);
        }
      }
    } else if (node instanceof List) {
      List<Object> list = (List<Object>) node;
      for (int i = 0; i < list.size(); i++) {
        Object keyword = list.get(i) instanceof Map ? ((Map<String, Object>) list.get(i)).get("keyword") : null;
        String word = keyword == null ? "" : keyword.toString().toLowerCase(Locale.ROOT);
        if ((word.equals("iam_role") || word.equals("catalog_role")) && i + 1 < list.size()) {
          List<Object[]> pair = new ArrayList<>(flatten(list.get(i)));
          pair.addAll(flatten(list.get(i + 1)));
          (word.equals("iam_role") ? auth : catalog).add(pair);
          i++;
        } else {
          collect(list.get(i), auth, catalog);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object[]> flatten(Object node) {
    List<Object[]> pairs = new ArrayList<>();
    if (node instanceof Map) {
      for (Map.Entry<String, Object> entry : ((Map<String, Object>) node).entrySet()) {
        pairs.add(new Object[] {entry.getKey(), entry.getValue().toString()});
      }
    } else if (node instanceof List) {
      for (Object element : (List<Object>) node) {
        pairs.addAll(flatten(element));
      }
    }
    return pairs;
  }

  private static Clause clause(List<Object[]> pairs) {
    List<String> keywords = pairs.stream().filter(p -> p[0].equals("keyword"))
        .map(p -> p[1].toString().toUpperCase(Locale.ROOT)).toList();
    String literal = literal(pairs);
    if (keywords.contains("CREDENTIALS")) {
      List<String> roles = List.of();
      boolean token = false;
      for (String part : literal.split(";")) {
        if (part.startsWith("aws_iam_role=")) {
          roles = chain(part.substring("aws_iam_role=".length()));
        }
        token |= part.startsWith("token=");
      }
      return new Clause(AuthForm.CREDENTIALS, false, roles, token);
    }
    if (keywords.contains("ACCESS_KEY_ID")) {
      return new Clause(AuthForm.ACCESS_KEYS, false, List.of(), keywords.contains("SESSION_TOKEN"));
    }
    boolean isDefault = keywords.contains("DEFAULT");
    return new Clause(AuthForm.IAM_ROLE, isDefault, isDefault ? List.of() : chain(literal), false);
  }

  private static String literal(List<Object[]> pairs) {
    for (Object[] pair : pairs) {
      if (pair[0].equals("quoted_literal")) {
        String quoted = pair[1].toString();
        return quoted.substring(1, quoted.length() - 1).replace("''", "'");
      }
    }
    return "";
  }

  private static List<String> chain(String roles) {
    return List.of(roles.split(",(?=arn:)"));
  }
}

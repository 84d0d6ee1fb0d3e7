package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RequestContext;
import dev.iamguard.policy.yaml.YamlTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Probe 24c F9: YAML 1.2's core schema reads an unquoted {@code ~}, {@code Null}, {@code NULL} as null and
 * {@code True}, {@code TRUE}, {@code False}, {@code FALSE} as booleans; the JSON schema the registry is composed
 * with read them as text, so {@code alias: True} made an alias "True", {@code db_users: [~]} a user "~", a
 * request context value {@code ~} the value "~" (not: the key is absent) and {@code superuser: True} an error.
 *
 * <p>Each value and key of the registry format (every position its JSON Schema names, held once by
 * {@link RegistryFields}' registry) holds each of those spellings in turn: where text is read it is a problem at
 * its path and line naming the spelling, what YAML reads it as and how to write it as text; a boolean setting
 * reads the boolean; a request context value reads the null or boolean as JSON's {@code null} or {@code true}
 * reads; a key stays the name written. Quoted, each spelling is the text it was before; JSON is composed
 * exactly as the JSON schema composes it.
 */
class CoreNullsAndBooleansTest {
  private static final RegistryFields FIELDS = new RegistryFields();
  private static final List<String> NULLS = List.of("~", "Null", "NULL");
  private static final List<String> BOOLEANS = List.of("True", "TRUE", "False", "FALSE");

  /** A registry's problems, or the registry when it loads. */
  private record Outcome(List<RegistryProblem> problems, Registry registry) {
    List<String> lines() {
      return problems.stream().map(RegistryProblem::toString).toList();
    }

    /** Where the problems are, without what they say. */
    List<String> places() {
      return problems.stream().map(p -> p.line() + " " + p.path()).toList();
    }

    Optional<RegistryProblem> at(int line, String path) {
      return problems.stream().filter(p -> p.line() == line && p.path().equals(path)).findFirst();
    }
  }

  private static Outcome load(String text) {
    try {
      return new Outcome(List.of(), RegistryLoader.parse(text, "r.yaml", null));
    } catch (RegistryException e) {
      return new Outcome(e.problems(), null);
    }
  }

  private static RegistryFields.Text yaml(String path, String token) {
    return FIELDS.yaml(Map.of(path, token), Map.of());
  }

  private static Outcome loadWith(String path, String token) {
    return load(yaml(path, token).text());
  }

  private static String reading(String spelling) {
    return NULLS.contains(spelling) || spelling.equalsIgnoreCase("null") ? "YAML's null"
        : "YAML's boolean " + spelling.toLowerCase(Locale.ROOT);
  }

  /** What a loaded registry holds, without the lines it was read from (those differ between YAML and JSON). */
  private static String digest(Registry r) {
    StringBuilder d = new StringBuilder();
    r.clusters().forEach(c -> d.append(List.of(c.id(), c.account(), c.region(), c.attachedRoles(), c.defaultRole(),
        c.serverless(), c.requestContext(), c.workgroupId())));
    r.roles().forEach(role -> d.append(List.of(role.arn(), role.alias(), role.trust(), role.allow(),
        role.requestContext(), role.managedPolicies().stream().map(ManagedPolicy::arn).toList())));
    r.chains().forEach(c -> d.append(List.of(c.name(), c.roles())));
    r.grants().forEach(g -> d.append(List.of(g.scope(), g.chains(), g.grantees(), g.commands())));
    r.users().forEach(u -> d.append(List.of(u.name(), u.groups(), u.roles(), u.superuser())));
    r.dbRoles().forEach(role -> d.append(List.of(role.name(), role.roles())));
    r.externalSchemas().forEach(s -> d.append(List.of(s.name(), s.chain(), s.cluster(), s.database(), s.catalogId(),
        s.region())));
    return d.append(r.settings()).toString();
  }

  /** Two registries that read alike: the same problems, or equal contents. */
  private static void assertSame(Outcome actual, Outcome expected, String what) {
    assertThat(actual.lines()).as(what).isEqualTo(expected.lines());
    if (expected.registry() != null) {
      assertThat(digest(actual.registry())).as(what).isEqualTo(digest(expected.registry()));
    }
  }

  private static List<RegistryFields.Field> fields(RegistryFields.Kind kind) {
    return FIELDS.fields().stream().filter(f -> f.kind() == kind).toList();
  }

  @Test
  void theTestRegistryHoldsEveryValueAndKeyTheSchemaNamesAndLoads() {
    assertThat(FIELDS.heldSchemaPaths()).containsExactlyInAnyOrderElementsOf(FIELDS.schemaPaths().keySet());
    assertThat(FIELDS.keys().stream().map(RegistryFields.Key::schemaPath).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(FIELDS.schemaNamedKeys());
    for (RegistryFields.Kind kind : RegistryFields.Kind.values()) {
      assertThat(fields(kind)).as(kind.name()).isNotEmpty();
    }
    assertThat(load(FIELDS.yaml(Map.of(), Map.of()).text()).lines()).isEmpty();
    assertThat(load(FIELDS.json(Map.of()).text()).lines()).isEmpty();
  }

  /**
   * A name, ARN, location, choice or list: a null is "no value" where {@code null} is (the same problems at the
   * same places), a boolean is not taken as its text; each problem names the spelling and what YAML reads it as.
   */
  @Test
  void whereTextOrACollectionIsReadCoreNullsAndBooleansAreProblemsAtTheirPathAndLine() {
    List<String> wrong = new ArrayList<>();
    for (RegistryFields.Field field : FIELDS.fields()) {
      if (field.kind() != RegistryFields.Kind.TEXT && field.kind() != RegistryFields.Kind.COLLECTION) {
        continue;
      }
      Outcome asNull = loadWith(field.path(), "null");
      for (String spelling : concat(NULLS, BOOLEANS)) {
        RegistryFields.Text text = yaml(field.path(), spelling);
        Outcome outcome = load(text.text());
        int line = text.lines().get(field.path());
        String what = field.path() + ": " + spelling + " -> " + outcome.lines();
        Optional<RegistryProblem> problem = outcome.at(line, field.path());
        if (problem.isEmpty() || !problem.get().message().contains(spelling + (NULLS.contains(spelling) ? " is " : ", which is ")
            + reading(spelling))) {
          wrong.add(what);
        } else if (field.kind() == RegistryFields.Kind.TEXT && !problem.get().message().contains("quote it ('" + spelling + "')")) {
          wrong.add(what + " (no word of quoting)");
        } else if (NULLS.contains(spelling) && !outcome.places().equals(asNull.places())) {
          wrong.add(what + " (null gives " + asNull.lines() + ")");
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  /** {@code serverless: True} is {@code serverless: true}; {@code superuser: ~} has no value, as null has none. */
  @Test
  void booleanSettingsReadCoreBooleansAsTheBooleansTheyAre() {
    Map<String, Function<Registry, Boolean>> settings = Map.of(
        "clusters[1].serverless", r -> r.cluster("wg1").orElseThrow().serverless(),
        "users.bob.superuser", r -> r.user("bob").orElseThrow().superuser(),
        "policy.rewrite_aliases", r -> r.settings().rewriteAliases(),
        "policy.rewrite_default_role", r -> r.settings().rewriteDefaultRole());
    assertThat(fields(RegistryFields.Kind.BOOLEAN)).map(RegistryFields.Field::path)
        .containsExactlyInAnyOrderElementsOf(settings.keySet());
    for (RegistryFields.Field field : fields(RegistryFields.Kind.BOOLEAN)) {
      for (String spelling : BOOLEANS) {
        String json = spelling.toLowerCase(Locale.ROOT);
        Outcome outcome = loadWith(field.path(), spelling);
        assertSame(outcome, loadWith(field.path(), json), field.path() + ": " + spelling);
        if (outcome.registry() != null) {
          assertThat(settings.get(field.path()).apply(outcome.registry())).as(field.path() + ": " + spelling)
              .isEqualTo(Boolean.parseBoolean(json));
        }
      }
      Outcome asNull = loadWith(field.path(), "null");
      for (String spelling : NULLS) {
        RegistryFields.Text text = yaml(field.path(), spelling);
        Outcome outcome = load(text.text());
        assertThat(outcome.places()).as(field.path() + ": " + spelling).isEqualTo(asNull.places());
        assertThat(outcome.at(text.lines().get(field.path()), field.path())).as(field.path() + ": " + spelling)
            .hasValueSatisfying(p -> assertThat(p.message())
                .isEqualTo("has no value: " + spelling + " is YAML's null; give true or false, or remove the key"));
      }
    }
    // a boolean setting no longer tells a YAML user that True is not true or false
    assertThat(loadWith("policy.rewrite_default_role", "True").registry().settings().rewriteDefaultRole()).isTrue();
    assertThat(loadWith("clusters[1].serverless", "TRUE").registry().cluster("wg1").orElseThrow().serverless()).isTrue();
  }

  /**
   * A request context value is a string, number or boolean, or null for a key the requests lack: {@code ~} is that
   * null (it was the value "~"), {@code True} is the boolean, read as JSON's {@code true} is ("true"); a list item
   * has no null, so {@code [~]} is a problem as {@code [null]} is.
   */
  @Test
  void requestContextValuesReadCoreNullsAndBooleansAsJsonsNullAndBooleans() {
    for (RegistryFields.Field field : fields(RegistryFields.Kind.VALUE)) {
      for (String spelling : concat(NULLS, BOOLEANS)) {
        boolean isNull = NULLS.contains(spelling);
        String json = isNull ? "null" : spelling.toLowerCase(Locale.ROOT);
        Outcome outcome = loadWith(field.path(), spelling);
        String what = field.path() + ": " + spelling;
        if (isNull && !field.nullable()) {
          assertThat(outcome.places()).as(what).isEqualTo(loadWith(field.path(), json).places());
          assertThat(outcome.lines()).as(what).anySatisfy(p -> assertThat(p).contains(field.path() + ": has no value: "
              + spelling + " is YAML's null; give a string, quote it ('" + spelling + "')"));
        } else {
          assertSame(outcome, loadWith(field.path(), json), what);
          assertThat(outcome.registry()).as(what).isNotNull();
        }
      }
    }
    Registry absent = loadWith("clusters[0].request_context.aws:SourceVpce", "~").registry();
    assertThat(absent.cluster("c1").orElseThrow().requestContext().knowledge("aws:SourceVpce"))
        .isEqualTo(RequestContext.Knowledge.ABSENT);
    Registry bool = loadWith("roles[0].request_context.aws:SourceVpc[0]", "True").registry();
    assertThat(bool.roles().iterator().next().requestContext().values("aws:SourceVpc")).containsExactly("true");
  }

  /**
   * A key of a mapping of names (a user, a chain, a Redshift role, an external schema, a managed policy, a
   * condition key) stays the name written, as quoted: JSON has string keys only, and an IAM document's condition
   * operator Null is written unquoted as a key.
   */
  @Test
  void keysAreTheNamesWrittenAsBefore() {
    List<String> wrong = new ArrayList<>();
    for (RegistryFields.Key key : FIELDS.keys()) {
      for (String spelling : concat(NULLS, BOOLEANS)) {
        Outcome plain = load(FIELDS.yaml(Map.of(), Map.of(key.path(), spelling)).text());
        Outcome quoted = load(FIELDS.yaml(Map.of(), Map.of(key.path(), "'" + spelling + "'")).text());
        if (!plain.lines().equals(quoted.lines()) || plain.lines().stream().anyMatch(p -> p.contains("YAML's"))
            || plain.registry() != null && !digest(plain.registry()).equals(digest(quoted.registry()))) {
          wrong.add(key.path() + ": " + spelling + " -> " + plain.lines() + " / quoted " + quoted.lines());
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(load(FIELDS.yaml(Map.of(), Map.of("users.bob", "Null")).text()).registry().user("Null")).isPresent();
  }

  /**
   * Quoted, every spelling is text, as before: it reads as the JSON string does in a JSON registry (the same
   * problems, the same contents); none is called a null or a boolean.
   */
  @Test
  void quotedTheSpellingsAreTextAsBefore() {
    List<String> wrong = new ArrayList<>();
    for (RegistryFields.Field field : FIELDS.fields()) {
      for (String spelling : concat(NULLS, BOOLEANS)) {
        Outcome single = loadWith(field.path(), "'" + spelling + "'");
        Outcome json = load(FIELDS.json(Map.of(field.path(), "\"" + spelling + "\"")).text());
        String what = field.path() + ": '" + spelling + "'";
        if (single.lines().stream().anyMatch(p -> p.contains("YAML's"))
            || !withoutLines(single).equals(withoutLines(json))
            || single.registry() != null && !digest(single.registry()).equals(digest(json.registry()))) {
          wrong.add(what + " -> " + single.lines() + " / JSON " + json.lines());
        }
      }
    }
    assertThat(wrong).isEmpty();
    // the text each was before, where the field takes it
    assertThat(loadWith("roles[0].alias", "'True'").registry().roleByAlias("True")).isPresent();
    assertThat(loadWith("users.bob.groups[0]", "'~'").registry().user("bob").orElseThrow().groups()).containsExactly("~");
    assertThat(loadWith("clusters[0].request_context.aws:SourceVpce", "'~'").registry().cluster("c1").orElseThrow()
        .requestContext().values("aws:SourceVpce")).containsExactly("~");
    assertThat(loadWith("users.bob.superuser", "'True'").lines())
        .containsExactly("r.yaml:80: users.bob.superuser: expected true or false, got \"True\"");
  }

  private static List<String> withoutLines(Outcome outcome) {
    return outcome.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
  }

  /**
   * YAML 1.1's yes, no, on and off are text in YAML 1.2 (every schema), so the registry reads them as text; a
   * boolean setting refuses them as before. The grants' {@code on:} key, which YAML 1.1 reads as true, is a key:
   * every registry above has it unquoted.
   */
  @Test
  void yaml11WordsAreText() {
    for (String word : List.of("yes", "No", "ON", "off", "y", "N")) {
      assertThat(loadWith("roles[0].alias", word).registry().roleByAlias(word)).as(word).isPresent();
      assertThat(loadWith("policy.rewrite_aliases", word).lines()).as(word)
          .containsExactly("r.yaml:" + yaml("policy.rewrite_aliases", word).lines().get("policy.rewrite_aliases")
              + ": policy.rewrite_aliases: expected true or false, got \"" + word + "\"");
    }
  }

  /**
   * JSON has no unquoted {@code ~} or {@code True}: a JSON registry holding null, true or false anywhere composes
   * to the very nodes (tags, values, styles) the engine's JSON schema gives, so it reads as it did.
   */
  @Test
  void jsonComposesAsTheJsonSchemaComposesIt() throws Exception {
    Compose jsonSchema = new Compose(LoadSettings.builder().build());
    List<String> tokens = List.of("null", "true", "false", "-1.5e3", "\"~\"", "\"True\"");
    int compared = 0;
    for (RegistryFields.Field field : FIELDS.fields()) {
      for (String token : tokens) {
        String json = FIELDS.json(Map.of(field.path(), token)).text();
        Node ours = YamlTree.compose(json, "r.json").orElseThrow();
        Node theirs = jsonSchema.composeString(json).orElseThrow();
        assertThat(shape(ours)).as(field.path() + ": " + token).isEqualTo(shape(theirs));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(600);
  }

  /** A node tree as text: every scalar with its tag, style and value. */
  private static String shape(Node node) {
    if (node instanceof ScalarNode s) {
      return s.getTag() + "/" + s.getScalarStyle() + "/" + s.getValue();
    }
    if (node instanceof SequenceNode s) {
      return s.getValue().stream().map(CoreNullsAndBooleansTest::shape).toList().toString();
    }
    return ((MappingNode) node).getValue().stream().map(t -> shape(t.getKeyNode()) + "=" + shape(t.getValueNode()))
        .toList().toString();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}

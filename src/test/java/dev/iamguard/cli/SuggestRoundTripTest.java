package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The round trip of issue 18: {@code suggest} on scripts, then {@code check} of the same scripts
 * against the suggested registry allows every statement the suggestion covers (and denies only
 * those it lists as unresolved); with any one permission of the suggestion taken away, some
 * covered statement is denied; and the suggested IAM documents, loaded as {@code policy_files},
 * decide every statement as the short form does.
 */
class SuggestRoundTripTest {
  @TempDir
  Path dir;

  @Test
  void samplesEtlWithTheSampleRegistry() throws IOException {
    roundTrip(List.of("--registry", "samples/registry.yaml", "--user", "user1"), List.of("user1"),
        List.of("samples/etl"), 2);
  }

  @Test
  void samplesEtlForTwoUsersSwitchingIdentity() throws IOException {
    Path script = dir.resolve("switch.sql");
    Files.writeString(script, """
        copy venue from 's3://acmedata/redshift/venue/' iam_role 'copy-unload';
        set session authorization 'user2';
        unload ('select 1') to 's3://acmedata/redshift/unload/run/2024-01-01/v_' iam_role default;
        reset session authorization;
        """);
    roundTrip(List.of("--registry", "samples/registry.yaml", "--user", "user1", "--user", "etl_bot"),
        List.of("user1", "etl_bot"), List.of("samples/etl", script.toString()), 2);
  }

  @Test
  void tickitCorpusWithTheTickitRegistry() throws IOException {
    Path tickit = SharedFiles.require("corpus/tickit/tickit.sql");
    roundTrip(List.of("--registry", "samples/tickit/registry.yaml", "--user", "dbadmin"), List.of("dbadmin"),
        List.of(tickit.toString()), 0);
  }

  @Test
  void tickitCorpusFromScratch() throws IOException {
    Path tickit = SharedFiles.require("corpus/tickit/tickit.sql");
    roundTrip(List.of("--cluster", "examplecluster", "--account", "123456789012", "--region", "us-east-1",
        "--default-role", "arn:aws:iam::123456789012:role/myRedshiftRole", "--user", "dbadmin"), List.of("dbadmin"),
        List.of(tickit.toString()), 0);
  }

  @Test
  void chainsFromScratchWithoutARegistry() throws IOException {
    roundTrip(List.of("--cluster", "my-cluster", "--account", "123456789012", "--region", "us-west-2",
        "--user", "user1"), List.of("user1"), List.of("samples/etl/01_seed_chains.sql"), 0);
  }

  /**
   * Suggests, checks, takes each permission away in turn and checks again, then checks with the
   * IAM documents; {@code gaps} is how many statements the suggestion cannot cover.
   */
  private void roundTrip(List<String> options, List<String> users, List<String> paths, int gaps) throws IOException {
    List<String> args = new ArrayList<>(List.of("suggest"));
    args.addAll(options);
    args.addAll(paths);
    CliRun suggested = CliRun.of(args.toArray(String[]::new));
    assertThat(suggested.code()).as(suggested.err()).isEqualTo(gaps == 0 ? 0 : 1);
    Path registry = dir.resolve("suggested.yaml");
    Files.writeString(registry, suggested.out());

    List<String> json = new ArrayList<>(args);
    json.addAll(1, List.of("--format", "json"));
    Map<String, Object> report = CliRun.of(json.toArray(String[]::new)).json();
    Set<String> uncovered = new TreeSet<>();
    for (Object gap : (List<?>) report.get("gaps")) {
      Map<?, ?> g = (Map<?, ?>) gap;
      uncovered.add(g.get("file") + ":" + g.get("line"));
    }
    assertThat(uncovered).hasSize(gaps);

    Map<String, Map<String, String>> decided = new LinkedHashMap<>();
    for (String user : users) {
      Map<String, String> decisions = decisions(registry, user, paths);
      assertThat(denied(decisions)).as("denied for " + user + " with the suggested registry").isEqualTo(uncovered);
      decided.put(user, decisions);
    }

    List<String> holes = new ArrayList<>();
    Map<String, Object> tree = load(suggested.out());
    List<String> mutations = mutations(tree);
    assertThat(mutations).isNotEmpty();
    for (String mutation : mutations) {
      Map<String, Object> copy = load(suggested.out());
      apply(copy, mutation);
      Path less = dir.resolve("less.yaml");
      Files.writeString(less, new Dump(DumpSettings.builder().build()).dumpToString(copy));
      boolean someDenied = false;
      for (String user : users) {
        CliRun check = check(less, user, paths, "json");
        if (check.code() == 2) {
          // the loader refuses a registry that would trust nobody (an emptied trust list) or whose
          // default role is not attached: fail closed, every statement refused
          assertThat(check.err()).as(mutation).containsAnyOf("empty list: it would trust nobody", "default_role");
          someDenied = true;
          break;
        }
        if (!denied(decisions(check)).equals(uncovered)) {
          someDenied = true;
          break;
        }
      }
      if (!someDenied) {
        holes.add(mutation);
      }
    }
    assertThat(holes).as("permissions no statement needs").isEmpty();

    CliRun iam = CliRun.of(withIamOut(args));
    assertThat(iam.code()).as(iam.err()).isEqualTo(gaps == 0 ? 0 : 1);
    Path iamRegistry = dir.resolve("iam").resolve("registry.yaml");
    for (String user : users) {
      assertThat(decisions(iamRegistry, user, paths)).as("IAM documents decide as the short form for " + user)
          .isEqualTo(decided.get(user));
    }
  }

  private String[] withIamOut(List<String> args) {
    List<String> iam = new ArrayList<>(args);
    iam.addAll(1, List.of("--format", "iam", "--out", dir.resolve("iam").toString()));
    return iam.toArray(String[]::new);
  }

  private static CliRun check(Path registry, String user, List<String> paths, String format) {
    List<String> args = new ArrayList<>(List.of("check", "--registry", registry.toString(), "--user", user,
        "--format", format));
    args.addAll(paths);
    return CliRun.of(args.toArray(String[]::new));
  }

  /** Each statement's decision and rule ids, by file and line, for {@code user}. */
  private static Map<String, String> decisions(Path registry, String user, List<String> paths) {
    CliRun check = check(registry, user, paths, "json");
    assertThat(check.code()).as(check.err()).isIn(0, 1);
    return decisions(check);
  }

  private static Map<String, String> decisions(CliRun check) {
    Map<String, String> decisions = new LinkedHashMap<>();
    for (Object item : (List<?>) check.json().get("statements")) {
      Map<?, ?> statement = (Map<?, ?>) item;
      List<String> rules = new ArrayList<>();
      for (Object finding : (List<?>) statement.get("findings")) {
        rules.add(String.valueOf(((Map<?, ?>) finding).get("rule")));
      }
      decisions.put(statement.get("file") + ":" + statement.get("line") + ":" + statement.get("index"),
          statement.get("decision") + " " + rules);
    }
    return decisions;
  }

  private static Set<String> denied(Map<String, String> decisions) {
    Set<String> denied = new TreeSet<>();
    decisions.forEach((where, decision) -> {
      if (decision.startsWith("DENY")) {
        denied.add(where.substring(0, where.lastIndexOf(':')));
      }
    });
    return denied;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(String yaml) {
    return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
  }

  /**
   * Every permission of a registry tree, as a path to take away: each element of each list (a role,
   * a prefix, an attached role, a trusted user or region, a grant, a grantee, a command), and the
   * default role. The policy settings and the users' memberships are facts, not permissions.
   */
  private static List<String> mutations(Map<String, Object> tree) {
    List<String> paths = new ArrayList<>();
    walk(tree, "", paths);
    paths.removeIf(p -> p.startsWith("/policy") || p.startsWith("/users") || p.startsWith("/db_roles")
        || p.matches("/clusters/\\d+"));
    return paths;
  }

  private static void walk(Object node, String path, List<String> paths) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> {
        if (key.equals("default_role")) {
          paths.add(path + "/default_role");
        }
        walk(value, path + "/" + key, paths);
      });
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        paths.add(path + "/" + i);
        walk(list.get(i), path + "/" + i, paths);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void apply(Object tree, String path) {
    String[] parts = path.substring(1).split("/");
    Object node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node instanceof Map<?, ?> map ? map.get(parts[i]) : ((List<?>) node).get(Integer.parseInt(parts[i]));
    }
    String last = parts[parts.length - 1];
    if (node instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).remove(last);
      return;
    }
    List<Object> list = (List<Object>) node;
    list.remove(Integer.parseInt(last));
    String key = parts.length > 1 ? parts[parts.length - 2] : "";
    if (!list.isEmpty() || key.equals("regions") || key.equals("db_users") || parts.length < 3) {
      return; // an emptied trust list stays empty: without the key the role would trust everyone
    }
    // an emptied list of permissions grants nothing: drop its key, or the grant it belonged to
    String parent = path.substring(0, path.lastIndexOf('/', path.lastIndexOf('/') - 1));
    if (parent.matches("/grants/\\d+")) {
      apply(tree, parent);
    } else {
      apply(tree, parent + "/" + key);
    }
  }


}

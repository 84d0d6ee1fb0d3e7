package dev.iamguard.policy.registry;

import dev.iamguard.sql.AssumeRoleGrant;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.yaml.NodeMap;
import dev.iamguard.policy.yaml.YamlTree;
import dev.iamguard.sql.Spelling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads the {@code grants} section. */
final class GrantReader {

  private static final List<String> KEYS = List.of("on", "to", "for");
  private static final List<String> COMMANDS = Arrays.stream(GrantConfig.Command.values())
      .map(GrantConfig.Command::sql).toList();

  private final Problems problems;
  private final RegistryValues values;

  GrantReader(Problems problems) {
    this.problems = problems;
    this.values = new RegistryValues(problems);
  }

  List<GrantConfig> read(Node section) {
    List<GrantConfig> grants = new ArrayList<>();
    List<Node> items = problems.items(section, "grants").orElse(List.of());
    for (int i = 0; i < items.size(); i++) {
      String path = "grants[" + i + "]";
      problems.mapping(items.get(i), path, KEYS).flatMap(map -> grant(map, path))
          .ifPresent(grants::add);
    }
    return grants;
  }

  private Optional<GrantConfig> grant(NodeMap map, String path) {
    int before = problems.count();
    List<List<RoleArn>> chains = new ArrayList<>();
    Optional<GrantConfig.Scope> scope = problems.required(map, "on", path)
        .flatMap(n -> scope(n, path + ".on", chains));
    List<AssumeRoleGrant.Grantee> grantees = problems.required(map, "to", path)
        .map(n -> problems.texts(n, path + ".to")).orElse(List.of()).stream()
        .flatMap(i -> grantee(i).stream()).toList();
    Set<GrantConfig.Command> commands = EnumSet.noneOf(GrantConfig.Command.class);
    problems.required(map, "for", path).ifPresent(n -> {
      for (Problems.Item item : problems.texts(n, path + ".for")) {
        command(item).ifPresent(commands::add);
      }
    });
    map.get("to").ifPresent(n -> requireSome(n, path + ".to"));
    map.get("for").ifPresent(n -> requireSome(n, path + ".for"));
    if (problems.count() > before) {
      return Optional.empty();
    }
    return Optional.of(new GrantConfig(scope.orElseThrow(), chains, grantees, commands,
        YamlTree.line(map.node())));
  }

  /** {@code default}, {@code ALL}, or a list of chains (or of that one word). */
  private Optional<GrantConfig.Scope> scope(Node node, String path, List<List<RoleArn>> chains) {
    if (node instanceof ScalarNode) {
      Optional<String> text = problems.text(node, path);
      Optional<GrantConfig.Scope> word = text.flatMap(GrantReader::word);
      if (text.isPresent() && word.isEmpty()) {
        problems.add(node, path, "expected default, ALL or a list of role chains, got \"" + text.get() + "\"");
      }
      return word;
    }
    List<Problems.Item> items = problems.texts(node, path);
    if (items.size() == 1 && word(items.get(0).text()).isPresent()) {
      return word(items.get(0).text());
    }
    for (Problems.Item item : items) {
      if (word(item.text()).isPresent()) {
        problems.add(item.node(), item.path(), item.text() + " cannot be listed with role chains;"
            + " write on: " + item.text() + " alone");
        continue;
      }
      List<RoleArn> chain = new ArrayList<>();
      for (String element : RoleArn.splitChain(item.text())) {
        values.roleArn(new Problems.Item(element, item.node(), item.path())).ifPresent(chain::add);
      }
      chains.add(chain);
    }
    requireSome(node, path);
    return Optional.of(GrantConfig.Scope.CHAINS);
  }

  private static Optional<GrantConfig.Scope> word(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "default" -> Optional.of(GrantConfig.Scope.DEFAULT);
      case "all" -> Optional.of(GrantConfig.Scope.ALL);
      default -> Optional.empty();
    };
  }

  private Optional<AssumeRoleGrant.Grantee> grantee(Problems.Item item) {
    String text = item.text();
    AssumeRoleGrant.Grantee.Kind kind = GranteeSpelling.kind(text);
    if (kind == AssumeRoleGrant.Grantee.Kind.PUBLIC) {
      return Optional.of(AssumeRoleGrant.Grantee.EVERYONE);
    }
    String name = kind == AssumeRoleGrant.Grantee.Kind.USER ? text : text.substring(text.indexOf(':') + 1);
    return values.word(new Problems.Item(name, item.node(), item.path()),
        kind.name().toLowerCase(Locale.ROOT) + " name")
        .map(n -> new AssumeRoleGrant.Grantee(kind, Names.folded(n))); // written as Redshift reads an unquoted name
  }

  private Optional<GrantConfig.Command> command(Problems.Item item) {
    Optional<GrantConfig.Command> command = GrantConfig.Command.parse(item.text());
    if (command.isEmpty()) {
      String hint = Spelling.nearest(item.text(), COMMANDS).map(c -> "did you mean \"" + c + "\"? ")
          .orElse("");
      problems.add(item.node(), item.path(), "unknown command \"" + item.text() + "\"; " + hint
          + "expected one of " + String.join(", ", COMMANDS));
    }
    return command;
  }

  private void requireSome(Node node, String path) {
    if (Problems.isEmptyList(node)) {
      problems.add(node, path, "empty list: a grant needs at least one entry here");
    }
  }
}

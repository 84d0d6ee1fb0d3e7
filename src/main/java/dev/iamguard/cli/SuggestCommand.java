package dev.iamguard.cli;

import dev.iamguard.sql.AssumeRoleGrant;
import dev.iamguard.policy.registry.GrantConfig;
import dev.iamguard.policy.registry.PolicyFileScope;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.policy.registry.UserConfig;
import dev.iamguard.policy.suggest.RegistryYaml;
import dev.iamguard.policy.suggest.ScriptNeeds;
import dev.iamguard.policy.suggest.SuggestRequest;
import dev.iamguard.policy.suggest.Suggestion;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iamguard suggest}: the registry, IAM policies and grants the scripts need, and nothing
 * more. Exit 0 when every statement is covered, 1 when some could not be resolved (the suggestion
 * lists them and does not cover them), 2 on an error or when there is no statement at all.
 */
@Command(name = "suggest", mixinStandardHelpOptions = true,
    description = {"Suggests the least privilege the scripts need: a registry (with --registry: what it lacks and "
        + "what no script uses), IAM policy documents per role and the GRANT ASSUMEROLE statements.",
        "Exit codes: 0 every statement covered, 1 some statement could not be resolved (listed, not covered), "
            + "2 error."})
final class SuggestCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--registry", paramLabel = "FILE",
      description = "resolve aliases, chain names and DEFAULT with this registry, keep its cluster, users and "
          + "settings, and report what it lacks and what no script uses")
  Path registry;

  @Option(names = "--policy-files-outside",
      description = "let the registry's policy_files lie outside its folder (absolute paths, .., links)")
  boolean policyFilesOutside;

  @Option(names = "--cluster", paramLabel = "ID",
      description = "the cluster id; may be left out when the registry has one cluster")
  String cluster;

  @Option(names = "--account", paramLabel = "ID", description = "the cluster's account (without --registry)")
  String account;

  @Option(names = "--region", paramLabel = "REGION", description = "the cluster's region (without --registry)")
  String region;

  @Option(names = "--default-role", paramLabel = "ARN",
      description = "the role IAM_ROLE DEFAULT stands for (without --registry)")
  String defaultRole;

  @ArgGroup(exclusive = true)
  Users users = new Users();

  /** Who runs the scripts. */
  static final class Users {
    @Option(names = "--user", paramLabel = "NAME",
        description = "a database user who runs the scripts (repeatable)")
    List<String> names = new ArrayList<>();

    @Option(names = "--users-from-grants",
        description = "the users the registry's grants and users name run the scripts")
    boolean fromGrants;
  }

  @Option(names = "--prefix-depth", paramLabel = "N", defaultValue = "0",
      description = "keep at most N key segments of an S3 prefix (generalises date or run-id folders); 0 keeps all")
  int prefixDepth;

  @Option(names = "--format", defaultValue = "yaml", paramLabel = "FORMAT",
      description = "yaml (a registry), json (everything), sql (the GRANT statements) or iam (the IAM documents) "
          + "(default: ${DEFAULT-VALUE})")
  SuggestFormat format;

  @Option(names = "--out", paramLabel = "DIR",
      description = "with --format iam: write each role's <name>.trust.json and <name>.permissions.json, a "
          + "registry.yaml using them (policy_files) and grants.sql into DIR")
  Path out;

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "SQL files, folders (*.sql, recursively) or - for standard input (the default)")
  List<String> paths = new ArrayList<>();

  /** The output formats. */
  enum SuggestFormat { yaml, json, sql, iam }

  @Override
  public Integer call() {
    if (out != null && format != SuggestFormat.iam) {
      throw new CliException("--out writes the IAM documents: use it with --format iam");
    }
    if (prefixDepth < 0) {
      throw new CliException("--prefix-depth must be 0 or more, got " + prefixDepth);
    }
    Optional<Registry> loaded = Optional.ofNullable(registry).map(this::load);
    List<String> runners = runners(loaded);
    ScriptNeeds needs;
    try {
      needs = new ScriptNeeds(new SuggestRequest(loaded, cluster, account, region, defaultRole, runners, prefixDepth));
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    List<ScriptSource> sources = Inputs.sources(paths);
    for (ScriptSource source : sources) {
      source.forEachPiece(System.in, piece -> needs.add(source.name(), piece));
    }
    Suggestion documents = needs.suggestion();
    // the IAM documents name keys the short form could hold only as their whole bucket: the registry
    // (yaml) and json's short form lack them, so those statements are their gaps
    Suggestion suggestion = format == SuggestFormat.yaml || format == SuggestFormat.json
        ? documents.asShortForm() : documents;
    if (suggestion.statements() == 0) {
      throw new CliException(Inputs.nothingToCheck(paths, sources).replace("to check", "to read"));
    }
    refuseUnreadable(suggestion);
    PrintWriter stdout = spec.commandLine().getOut();
    SuggestReport.write(suggestion, format, out, stdout);
    stdout.flush();
    Inputs.checkOutput(stdout);
    if (format == SuggestFormat.iam) {
      SuggestReport.quotaWarnings(suggestion).forEach(w -> spec.commandLine().getErr().println("iamguard: warning: " + w));
    }
    PrintWriter stderr = spec.commandLine().getErr();
    if (!suggestion.gaps().isEmpty()) {
      stderr.println("iamguard: " + suggestion.unresolved() + " of " + suggestion.statements()
          + " statements could not be resolved; the suggestion does not cover them:");
      suggestion.gaps().forEach(g -> stderr.println("  " + dev.iamguard.sql.LineText.escape(g.toString())));
    }
    if (!suggestion.ungranted().isEmpty()) {
      stderr.println("iamguard: the IAM documents do not grant all that these statements need (the scripts do not "
          + "name the resource); grant it by hand:");
      suggestion.ungranted().forEach(g -> stderr.println("  " + dev.iamguard.sql.LineText.escape(g.toString())));
    }
    return suggestion.complete() ? ExitCodes.OK : ExitCodes.DENIED;
  }

  /**
   * Never writes a registry the guard would refuse: the suggestion is read back first, so a value
   * the options gave that a registry cannot hold (a misspelt region, a cluster id in capitals) is
   * an error naming it rather than a file that fails later.
   */
  private static void refuseUnreadable(Suggestion suggestion) {
    try {
      RegistryLoader.parse(RegistryYaml.shortForm(suggestion), "the suggested registry", Path.of("."));
    } catch (RegistryException e) {
      throw new CliException(e.getMessage() + "\n(check --cluster, --account and --region)", e);
    }
  }

  private Registry load(Path file) {
    if (!Files.exists(file)) {
      throw new CliException(file + ": no such registry file");
    }
    try {
      return RegistryLoader.load(file, policyFilesOutside ? PolicyFileScope.ANYWHERE : PolicyFileScope.REGISTRY_FOLDER)
          .registry();
    } catch (RegistryException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /** The users who run the scripts: as named, or every user the registry's grants and users name. */
  private List<String> runners(Optional<Registry> loaded) {
    if (!users.fromGrants) {
      for (String name : users.names) {
        DatabaseUserOption.require(name, "name the users who run the scripts, or use --users-from-grants with a "
            + "registry whose grants name the group or role");
      }
      return users.names;
    }
    Registry known = loaded.orElseThrow(() -> new CliException("--users-from-grants needs --registry"));
    Set<String> names = new LinkedHashSet<>();
    for (GrantConfig grant : known.grants()) {
      grant.grantees().stream().filter(g -> g.kind() == AssumeRoleGrant.Grantee.Kind.USER).forEach(g -> names.add(g.name()));
    }
    known.users().stream().map(UserConfig::name).forEach(names::add);
    if (names.isEmpty()) {
      throw new CliException("--users-from-grants: " + registry + " names no user in grants or users; use --user NAME");
    }
    return new ArrayList<>(names);
  }
}

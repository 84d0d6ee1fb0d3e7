package dev.iamguard.cli;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.Session;
import dev.iamguard.sql.SecretSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iamguard rewrite}: prints the scripts with their auth clauses rewritten (aliases, and
 * DEFAULT when the registry asks), every other byte unchanged. Prints nothing when any statement
 * is denied (the findings go to standard error, exit 1), and refuses a script that holds secret
 * values: no iamguard output ever carries a secret.
 */
@Command(name = "rewrite", mixinStandardHelpOptions = true,
    description = "Prints the scripts with registry aliases (and DEFAULT, if configured) rewritten to role ARNs.")
final class RewriteCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  GuardOptions options;

  @Parameters(paramLabel = "PATH", arity = "0..*",
      description = "SQL files, folders (*.sql, recursively) or - for standard input (the default)")
  List<String> paths = new ArrayList<>();

  @Override
  public Integer call() {
    Registry registry = options.loadRegistry();
    Session session = options.session(registry);
    Guard guard = new Guard(registry);
    List<CheckReport.Checked> checked = new ArrayList<>();
    for (ScriptInput input : ScriptInput.readAll(paths, System.in)) {
      if (!SecretSpans.find(input.text()).isEmpty()) {
        throw new CliException(input.name() + ": holds secret values (keys, tokens or passwords); "
            + "rewrite does not print secrets: use IAM_ROLE instead of keys");
      }
      checked.add(new CheckReport.Checked(input.name(), guard.inspect(input.text(), session)));
    }
    if (!checked.stream().allMatch(c -> c.decision().allowed())) {
      spec.commandLine().getErr().print(CheckReport.text(checked));
      return ExitCodes.DENIED;
    }
    StringBuilder out = new StringBuilder();
    for (CheckReport.Checked script : checked) {
      Decision decision = script.decision();
      out.append(decision.sql());
    }
    spec.commandLine().getOut().print(out);
    return ExitCodes.OK;
  }
}

package dev.iamguard.cli;

import dev.iamguard.policy.access.AccessDiff;
import dev.iamguard.policy.access.SettingsDiff;
import dev.iamguard.policy.registry.Registry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code iamguard registry diff OLD NEW}: the access gained and lost from OLD to NEW, and the changes
 * of settings, external schemas, grants and users that the access table does not show
 * ({@link SettingsDiff}); exit 1 when any access is gained or any such change widens (drift that
 * widens what SQL may do), for CI; also when the chain search was cut (a gain through a longer
 * chain cannot be ruled out), unless OLD and NEW are one file.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Reports the access gained (+) and lost (-) from OLD to NEW, and the changes of settings, external"
        + " schemas, grants and users that widen (+) or narrow (-) it; exit 1 when any is gained or widens.")
final class RegistryDiffCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "OLD", description = "the registry before (e.g. the checked-in one)")
  Path before;

  @Parameters(index = "1", paramLabel = "NEW", description = "the registry after (e.g. a fresh import)")
  Path after;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
  ReportFormat format;

  @Option(names = "--policy-files-outside",
      description = "let the registries' policy_files lie outside their folders (absolute paths, .., links)")
  boolean policyFilesOutside;

  @Override
  public Integer call() {
    if (format == ReportFormat.sarif) {
      throw new CliException("--format sarif is for check; diff writes text or json");
    }
    Registry old = RegistryFiles.load(before, policyFilesOutside);
    Registry now = RegistryFiles.load(after, policyFilesOutside);
    AccessDiff diff = AccessDiff.between(old, now);
    List<SettingsDiff.Change> settings = SettingsDiff.between(old, now);
    spec.commandLine().getOut().print(format == ReportFormat.json ? AccessReports.diffJson(diff, settings)
        : AccessReports.diffText(diff, settings));
    // a cut search may miss a gain through a longer chain: only one file compared with itself is sure
    boolean incomplete = !diff.cuts().isEmpty() && !sameFile();
    if (incomplete) {
      spec.commandLine().getErr().println("iamguard: the chain search was cut, so a gain through a longer chain"
          + " cannot be ruled out: exit 1");
    }
    return diff.gained().isEmpty() && settings.stream().noneMatch(SettingsDiff.Change::widens) && !incomplete
        ? ExitCodes.OK : ExitCodes.DENIED;
  }

  private boolean sameFile() {
    try {
      return java.nio.file.Files.isSameFile(before, after);
    } catch (java.io.IOException e) {
      return false;
    }
  }
}

package dev.iamguard.cli;

import dev.iamguard.policy.access.AccessCommand;
import dev.iamguard.policy.access.AccessDiff;
import dev.iamguard.policy.access.SettingsDiff;
import dev.iamguard.policy.access.AccessEntry;
import dev.iamguard.policy.access.AccessReport;
import dev.iamguard.policy.access.UsablePath;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.sql.LineText;
import java.io.PrintWriter;
import java.util.List;

/** The text and JSON of {@code iamguard access} and {@code iamguard registry diff}. */
final class AccessReports {
  private AccessReports() {}

  /**
   * One line per entry: {@code cluster | who | role or chain | command | resource}, written a
   * cluster and principal at a time ({@link AccessReport#stream}), then the count.
   */
  static void text(Registry registry, PrintWriter out) {
    out.print("cluster | user or group | role or chain | command | resource\n");
    long[] entries = {0};
    long[] usable = {0};
    List<AccessReport.Cut> cuts = AccessReport.stream(registry, part -> {
      StringBuilder lines = new StringBuilder();
      for (AccessEntry entry : part.entries()) {
        lines.append(line(entry)).append('\n');
      }
      out.print(lines);
      Inputs.checkOutput(out);
      entries[0] += part.entries().size();
      usable[0] += part.paths().stream().filter(p -> !p.commands().isEmpty()).count();
    });
    out.print(entries[0] + (entries[0] == 1 ? " grant" : " grants") + " of access; " + usable[0]
        + " usable roles and chains for " + AccessReport.principals(registry).size() + " users, groups and roles\n");
    AccessReport.cutNotes(cuts).forEach(note -> out.print("note: " + LineText.escape(note) + "\n"));
  }

  /** The cuts as JSON: where the chain search stopped, per cluster and principal. */
  private static void cuts(JsonWriter json, List<AccessReport.Cut> cuts) {
    json.name("cuts").beginArray();
    for (AccessReport.Cut cut : cuts) {
      json.beginObject().field("cluster", cut.cluster()).field("principal", cut.principal().label())
          .field("chains_asked", cut.chainsAsked()).field("complete_up_to", cut.completeUpTo()).endObject();
    }
    json.endArray();
  }

  static String line(AccessEntry entry) {
    String auth = entry.auth().equals("default") ? "default (" + entry.roles().get(0) + ")" : entry.auth();
    return LineText.escape(entry.cluster() + " | " + entry.principal().label() + " | " + auth + " | "
        + entry.command().label() + " | " + entry.resource() + entry.qualifier());
  }

  /** The table as JSON: principals, usable paths, then the entries, written a cluster and principal at a time. */
  static void json(Registry registry, PrintWriter out) {
    List<UsablePath> paths = AccessReport.paths(registry);
    JsonWriter json = new JsonWriter().beginObject().field("registry", registry.source());
    json.stringArray("principals", AccessReport.principals(registry).stream().sorted().map(p -> p.label()).toList());
    json.name("paths").beginArray();
    for (UsablePath path : paths) {
      json.beginObject().field("cluster", path.cluster()).field("principal", path.principal().label())
          .field("auth", path.auth()).stringArray("roles", path.roles())
          .stringArray("commands", path.commands().stream().sorted().map(AccessCommand::label).distinct().toList()).endObject();
    }
    json.endArray().name("access").beginArray();
    long[] entries = {0};
    List<AccessReport.Cut> cuts = AccessReport.stream(registry, part -> {
      part.entries().forEach(entry -> entry(json, entry));
      json.drainTo(out);
      Inputs.checkOutput(out);
      entries[0] += part.entries().size();
    });
    json.endArray();
    cuts(json, cuts);
    json.name("summary").beginObject().field("entries", entries[0]).field("paths", paths.size()).endObject()
        .endObject();
    json.drainTo(out);
    out.print("\n");
  }

  private static void entries(JsonWriter json, List<AccessEntry> entries) {
    json.beginArray();
    entries.forEach(entry -> entry(json, entry));
    json.endArray();
  }

  private static void entry(JsonWriter json, AccessEntry entry) {
    json.beginObject().field("cluster", entry.cluster()).field("principal", entry.principal().label())
        .field("auth", entry.auth()).stringArray("roles", entry.roles()).field("command", entry.command().label())
        .field("resource_kind", entry.command().resourceKind()).field("resource", entry.resource());
    if (entry.exact()) {
      json.field("exact", true); // one object, named by its exact key (a manifest), not a prefix
    }
    if (entry.partial()) {
      json.field("partial", true); // a Deny or a condition takes some keys under it away
    }
    json.endObject();
  }

  static String diffText(AccessDiff diff, List<SettingsDiff.Change> settings) {
    StringBuilder out = new StringBuilder();
    diff.gained().forEach(e -> out.append("+ ").append(line(e)).append('\n'));
    diff.lost().forEach(e -> out.append("- ").append(line(e)).append('\n'));
    for (SettingsDiff.Change change : settings) {
      out.append(change.widens() ? "+ " : "- ").append(LineText.escape(change.what() + ": " + change.before() + " -> "
          + change.after())).append('\n');
    }
    out.append(diff.gained().size()).append(" gained, ").append(diff.lost().size()).append(" lost");
    if (!settings.isEmpty()) {
      long widened = settings.stream().filter(SettingsDiff.Change::widens).count();
      out.append("; ").append(widened).append(" setting change(s) widen, ").append(settings.size() - widened)
          .append(" narrow");
    }
    out.append('\n');
    AccessReport.cutNotes(diff.cuts()).forEach(note -> out.append("note: ").append(LineText.escape(note)).append('\n'));
    return out.toString();
  }

  static String diffJson(AccessDiff diff, List<SettingsDiff.Change> settings) {
    JsonWriter json = new JsonWriter().beginObject().name("gained");
    entries(json, diff.gained());
    json.name("lost");
    entries(json, diff.lost());
    cuts(json, diff.cuts());
    json.name("settings").beginArray();
    for (SettingsDiff.Change change : settings) {
      json.beginObject().field("setting", change.what()).field("before", change.before())
          .field("after", change.after()).field("widens", change.widens()).endObject();
    }
    json.endArray();
    long widened = settings.stream().filter(SettingsDiff.Change::widens).count();
    return json.name("summary").beginObject().field("gained", diff.gained().size()).field("lost", diff.lost().size())
        .field("settings_widened", (int) widened).field("settings_narrowed", (int) (settings.size() - widened))
        .endObject().endObject() + "\n";
  }
}

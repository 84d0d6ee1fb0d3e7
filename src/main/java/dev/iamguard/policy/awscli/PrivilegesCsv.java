package dev.iamguard.policy.awscli;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.GranteeSpelling;
import dev.iamguard.sql.AssumeRoleGrant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the ASSUMEROLE privileges of a cluster from a CSV export of Redshift's
 * {@code SVV_IAM_PRIVILEGES} view (columns {@code iam_arn}, {@code command_type},
 * {@code identity_id}, {@code identity_name}, {@code identity_type}; a header row names them, in
 * any order, and other columns are ignored), e.g. from
 * {@code unload ('select * from svv_iam_privileges') to ... csv header} or a SQL client's CSV
 * export. {@code iam_arn} is a role ARN, a chain, or {@code default-aws-iam-role} (the
 * {@code ON default} grant); {@code command_type} is COPY, UNLOAD, CREATE MODEL or EXFUNC
 * (EXTERNAL FUNCTION); {@code identity_type} is user, group, role or public.
 */
final class PrivilegesCsv {
  private static final List<String> REQUIRED = List.of("iam_arn", "command_type", "identity_name", "identity_type");
  /** The registry's order of commands. */
  static final List<String> COMMANDS = List.of("COPY", "UNLOAD", "EXTERNAL FUNCTION", "CREATE MODEL");

  private PrivilegesCsv() {}

  /** The grants, one per (scope, commands), grantees sorted; problems name file and line. */
  static List<ImportedGrant> read(String text, String source, List<String> problems) {
    List<List<String>> rows = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    if (!parse(text, source, rows, lines, problems)) {
      return List.of();
    }
    if (rows.isEmpty()) {
      problems.add(source + ": empty; expected a header row (iam_arn,command_type,identity_id,identity_name,identity_type)");
      return List.of();
    }
    List<String> header = rows.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    for (String column : REQUIRED) {
      if (!header.contains(column)) {
        problems.add(source + ": line " + lines.get(0) + ": no column " + column + "; the header must name the"
            + " columns of SVV_IAM_PRIVILEGES (iam_arn, command_type, identity_id, identity_name, identity_type)");
      }
    }
    if (!header.containsAll(REQUIRED)) {
      return List.of();
    }
    // (scope, grantee) -> commands
    Map<String, Map<String, TreeSet<Integer>>> byScope = new TreeMap<>(PrivilegesCsv::compareScopes);
    for (int r = 1; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      if (row.size() == 1 && row.get(0).isBlank()) {
        continue;
      }
      String at = source + ": line " + lines.get(r) + ": ";
      // more fields than the header is a shifted row as surely as fewer: the columns no longer say
      // which field is the grantee's name and which its kind
      if (row.size() != header.size()) {
        problems.add(at + "has " + row.size() + " fields, the header " + header.size());
        continue;
      }
      String arn = field(row, header, "iam_arn");
      Optional<String> scope = scope(arn, at, problems);
      Optional<Integer> command = command(field(row, header, "command_type"), at, problems);
      Optional<String> grantee = grantee(field(row, header, "identity_type"), field(row, header, "identity_name"),
          at, problems);
      if (scope.isPresent() && command.isPresent() && grantee.isPresent()) {
        byScope.computeIfAbsent(scope.get(), s -> new TreeMap<>()).computeIfAbsent(grantee.get(), g -> new TreeSet<>())
            .add(command.get());
      }
    }
    List<ImportedGrant> grants = new ArrayList<>();
    byScope.forEach((scope, grantees) -> {
      Map<List<Integer>, List<String>> byCommands = new TreeMap<>(PrivilegesCsv::compareCommandLists);
      grantees.forEach((grantee, commands) ->
          byCommands.computeIfAbsent(List.copyOf(commands), c -> new ArrayList<>()).add(grantee));
      byCommands.forEach((commands, to) -> grants.add(new ImportedGrant(scope,
          to.stream().sorted(Comparator.comparing((String g) -> g.toLowerCase(Locale.ROOT))).toList(),
          commands.stream().map(COMMANDS::get).toList())));
    });
    return grants;
  }

  private static String field(List<String> row, List<String> header, String column) {
    return row.get(header.indexOf(column)).strip();
  }

  /** {@code default} first, then {@code ALL}, then chains alphabetically. */
  private static int compareScopes(String a, String b) {
    return Comparator.comparing((String s) -> s.equals("default") ? 0 : s.equals("ALL") ? 1 : 2)
        .thenComparing(Comparator.naturalOrder()).compare(a, b);
  }

  private static int compareCommandLists(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = Integer.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static Optional<String> scope(String arn, String at, List<String> problems) {
    String lower = arn.toLowerCase(Locale.ROOT);
    if (lower.equals("default-aws-iam-role") || lower.equals("default")) {
      return Optional.of("default");
    }
    if (lower.equals("all")) {
      return Optional.of("ALL");
    }
    for (String element : RoleArn.splitChain(arn)) { // a role name may hold a comma
      String[] fields = element.split(":", 6);
      if (fields.length != 6 || !fields[0].equals("arn") || !fields[2].equals("iam") || !fields[5].startsWith("role/")) {
        problems.add(at + "iam_arn \"" + arn + "\" is not a role ARN, a chain of them or default-aws-iam-role");
        return Optional.empty();
      }
    }
    return Optional.of(arn);
  }

  private static Optional<Integer> command(String text, String at, List<String> problems) {
    String normal = String.join(" ", text.strip().split("\\s+")).toUpperCase(Locale.ROOT);
    if (normal.equals("EXFUNC")) {
      normal = "EXTERNAL FUNCTION";
    }
    int index = COMMANDS.indexOf(normal);
    if (index < 0) {
      problems.add(at + "command_type \"" + text + "\" is not COPY, UNLOAD, CREATE MODEL or EXFUNC");
      return Optional.empty();
    }
    return Optional.of(index);
  }

  private static Optional<String> grantee(String type, String name, String at, List<String> problems) {
    String kind = type.toLowerCase(Locale.ROOT);
    if (kind.equals("public")) {
      return Optional.of("PUBLIC");
    }
    if (name.isEmpty()) {
      problems.add(at + "identity_name is empty");
      return Optional.empty();
    }
    return switch (kind) {
      case "user" -> user(name, at, problems);
      case "group" -> Optional.of("group:" + name);
      case "role" -> Optional.of("role:" + name);
      default -> {
        problems.add(at + "identity_type \"" + type + "\" is not user, group, role or public");
        yield Optional.empty();
      }
    };
  }

  /**
   * A user as the registry's {@code to:} list writes it: the bare name. The registry reads
   * {@code PUBLIC} (any case), {@code group:...} and {@code role:...} as every user, a group and a
   * role ({@link GranteeSpelling}), and has no spelling for a user so named, so such a row is refused
   * rather than written as a grant to someone else. A name with white space is refused later, by the
   * registry the import is checked as.
   */
  private static Optional<String> user(String name, String at, List<String> problems) {
    AssumeRoleGrant.Grantee.Kind kind = GranteeSpelling.kind(name); // the registry's own reading of to:
    if (kind != AssumeRoleGrant.Grantee.Kind.USER) {
      problems.add(at + "identity_name \"" + name + "\" is a user, but the registry reads " + name + " in to: as "
          + (kind == AssumeRoleGrant.Grantee.Kind.PUBLIC ? "every user (PUBLIC)"
              : kind == AssumeRoleGrant.Grantee.Kind.GROUP ? "a group" : "a role")
          + " and has no way to name this user; remove the row (the user then holds no grant from it)");
      return Optional.empty();
    }
    return Optional.of(name);
  }

  /** RFC 4180: commas, double quotes doubled inside quoted fields, CRLF or LF line ends. */
  private static boolean parse(String text, String source, List<List<String>> rows, List<Integer> lines,
      List<String> problems) {
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int line = 1;
    int rowLine = 1;
    int start = text.startsWith("\uFEFF") ? 1 : 0;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          line += c == '\n' ? 1 : 0;
          field.append(c);
        }
      } else if (c == '"' && field.isEmpty()) {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        lines.add(rowLine);
        row = new ArrayList<>();
        rowLine = ++line;
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      problems.add(source + ": line " + rowLine + ": a quoted field does not end");
      return false;
    }
    if (!field.isEmpty() || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
      lines.add(rowLine);
    }
    return true;
  }
}

package dev.iamguard.cli;

import dev.iamguard.policy.access.AccessCommand;
import dev.iamguard.policy.access.AccessEntry;
import dev.iamguard.policy.access.AccessReport;
import dev.iamguard.policy.access.UsablePath;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.Registry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code iamguard access --format html}: one self-contained page (inline CSS and SVG, no script,
 * nothing fetched) with a graph of clusters, roles, chains and the resources they reach, and the
 * access table below it. Every text from the registry is escaped.
 */
final class AccessHtml {
  private static final int COLUMN = 330;
  private static final int ROW = 46;
  private static final int NODE_WIDTH = 290;
  private static final int NODE_HEIGHT = 30;
  private static final int LABEL = 40;

  private AccessHtml() {}

  /** A box of the graph: its column, its label, its kind (a CSS class) and a tooltip. */
  private record Node(String id, int column, String label, String kind, String title) {}

  /**
   * Writes the page of {@code registry}'s access. The table is asked for twice, a cluster and
   * principal at a time ({@link AccessReport#stream}): first for the graph and the counts above it,
   * which hold one box per resource and one line per role and resource, then for its rows, written
   * as they come; a table of millions of rows is never held whole (it needed gigabytes).
   */
  static void page(Registry registry, PrintWriter out) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    Set<List<String>> edges = new LinkedHashSet<>();
    List<UsablePath> paths = AccessReport.paths(registry);
    int deepest = paths(registry, paths, nodes, edges);
    long[] entries = {0};
    List<AccessReport.Cut> cuts = AccessReport.stream(registry, part -> {
      part.entries().forEach(entry -> resource(entry, deepest, nodes, edges));
      entries[0] += part.entries().size();
    });
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>iamguard access: ")
        .append(escape(registry.source())).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#1f2933}\n")
        .append("h1{font-size:20px;margin:0 0 4px} p.sub{color:#52606d;margin:0 0 16px;font-size:13px}\n")
        .append("svg{border:1px solid #d9e2ec;border-radius:6px;background:#fbfcfd}\n")
        .append("rect.cluster{fill:#dceefb;stroke:#2680c2} rect.role{fill:#fff3c4;stroke:#cb6e17}\n")
        .append("rect.s3_read,rect.s3_write{fill:#e3f9e5;stroke:#3f9142} rect.lambda{fill:#eae2f8;stroke:#8662c7}\n")
        .append("rect.glue_database{fill:#ffe3e3;stroke:#cf1124} text{font-size:12px;fill:#1f2933}\n")
        .append("text.head{font-weight:600;fill:#52606d} path{fill:none;stroke:#9aa5b1;stroke-width:1.3}\n")
        .append("text.edge{font-size:10px;fill:#52606d}\n")
        .append("table{border-collapse:collapse;margin-top:20px;font-size:13px} th,td{border:1px solid #d9e2ec;")
        .append("padding:4px 8px;text-align:left;vertical-align:top} th{background:#f0f4f8} td.mono{font-family:")
        .append("ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}\n</style></head><body>\n");
    html.append("<h1>Access granted by ").append(escape(registry.source())).append("</h1>\n")
        .append("<p class=\"sub\">").append(entries[0]).append(" grants of access for ")
        .append(AccessReport.principals(registry).size()).append(" users, groups and roles; every line is a statement iamguard ")
        .append("allows. Clusters &rarr; attached roles &rarr; roles they assume &rarr; what the last role reaches.</p>\n");
    for (String note : AccessReport.cutNotes(cuts)) {
      html.append("<p class=\"sub\"><strong>Incomplete:</strong> ").append(escape(note)).append(".</p>\n");
    }
    svg(nodes, edges, html);
    html.append("<table><thead><tr><th>cluster</th><th>user or group</th><th>role or chain</th><th>command</th>")
        .append("<th>resource</th></tr></thead><tbody>\n");
    out.print(html);
    Inputs.checkOutput(out);
    AccessReport.stream(registry, part -> {
      StringBuilder rows = new StringBuilder();
      part.entries().forEach(entry -> row(entry, rows));
      out.print(rows);
      Inputs.checkOutput(out);
    });
    out.print("</tbody></table>\n</body></html>\n");
  }

  /** The boxes of the clusters and of the roles of every usable path, and the lines between them; returns the longest path's length. */
  private static int paths(Registry registry, List<UsablePath> paths, Map<String, Node> nodes, Set<List<String>> edges) {
    for (ClusterConfig cluster : registry.clusters()) {
      nodes.put("c:" + cluster.id(), new Node("c:" + cluster.id(), 0, cluster.id() + " (" + cluster.region() + ")",
          "cluster", cluster.id() + " " + cluster.account() + " " + cluster.region()));
    }
    int deepest = 0;
    for (UsablePath path : paths) {
      deepest = Math.max(deepest, path.roles().size());
    }
    Map<String, Integer> column = new LinkedHashMap<>();
    for (UsablePath path : paths) {
      for (int i = 0; i < path.roles().size(); i++) {
        column.merge(path.roles().get(i), i + 1, Math::min);
      }
    }
    for (UsablePath path : paths) {
      String previous = "c:" + path.cluster();
      for (int i = 0; i < path.roles().size(); i++) {
        String arn = path.roles().get(i);
        String id = "r:" + arn;
        nodes.putIfAbsent(id, new Node(id, column.get(arn), arn.substring(arn.indexOf(":role/") + 6)
            + "  (" + arn.split(":")[4] + ")", "role", arn));
        edges.add(List.of(previous, id, i == 0 && path.auth().equals("default") ? "default" : ""));
        previous = id;
      }
    }
    return deepest;
  }

  /** The box of the resource {@code entry} reaches and the line from its last role to it. */
  private static void resource(AccessEntry entry, int deepest, Map<String, Node> nodes, Set<List<String>> edges) {
    String id = "x:" + entry.command().resourceKind() + ":" + entry.resource();
    nodes.putIfAbsent(id, new Node(id, deepest + 1, shortName(entry), entry.command().resourceKind(),
        entry.command().resourceKind() + " " + entry.resource()));
    String last = entry.roles().get(entry.roles().size() - 1);
    edges.add(List.of("r:" + last, id, switch (entry.command()) {
      case COPY, COPY_DYNAMODB, COPY_EMR -> "read";
      case UNLOAD -> "write";
      case EXTERNAL_FUNCTION -> "invoke";
      case EXTERNAL_SCHEMA -> "catalog";
    }));
  }

  /** S3 locations as they are; a Lambda function or Glue database by its name (the whole ARN is the tooltip). */
  private static String shortName(AccessEntry entry) {
    String resource = entry.resource();
    return switch (entry.command()) {
      case EXTERNAL_FUNCTION -> "lambda " + resource.substring(resource.lastIndexOf(':') + 1);
      case EXTERNAL_SCHEMA -> "glue database " + resource.substring(resource.lastIndexOf('/') + 1);
      default -> resource + (entry.partial() ? " (in part)" : "");
    };
  }

  private static void svg(Map<String, Node> nodes, Set<List<String>> edges, StringBuilder html) {
    Map<Integer, Integer> perColumn = new LinkedHashMap<>();
    Map<String, int[]> at = new LinkedHashMap<>();
    int columns = 0;
    for (Node node : nodes.values()) {
      int row = perColumn.merge(node.column(), 1, Integer::sum) - 1;
      at.put(node.id(), new int[] {20 + node.column() * COLUMN, 40 + row * ROW});
      columns = Math.max(columns, node.column() + 1);
    }
    int rows = perColumn.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    int width = Math.max(1, columns) * COLUMN + 10;
    int height = 50 + rows * ROW;
    html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
        .append("clusters, roles, chains and resources\">\n");
    String[] heads = {"clusters", "attached roles", "assumed roles", "assumed roles", "resources"};
    for (int c = 0; c < columns; c++) {
      String head = c == columns - 1 && c > 0 ? "resources" : c < heads.length - 1 ? heads[c] : "assumed roles";
      html.append("<text class=\"head\" x=\"").append(20 + c * COLUMN).append("\" y=\"22\">").append(head)
          .append("</text>\n");
    }
    for (List<String> edge : edges) {
      int[] from = at.get(edge.get(0));
      int[] to = at.get(edge.get(1));
      if (from == null || to == null) {
        continue;
      }
      int x1 = from[0] + NODE_WIDTH;
      int y1 = from[1] + NODE_HEIGHT / 2;
      int x2 = to[0];
      int y2 = to[1] + NODE_HEIGHT / 2;
      int bend = (x2 - x1) / 2;
      html.append("<path d=\"M").append(x1).append(',').append(y1).append(" C").append(x1 + bend).append(',').append(y1)
          .append(' ').append(x2 - bend).append(',').append(y2).append(' ').append(x2).append(',').append(y2)
          .append("\"/>\n");
      if (!edge.get(2).isEmpty()) {
        html.append("<text class=\"edge\" text-anchor=\"end\" x=\"").append(x2 - 4).append("\" y=\"").append(y2 - 4)
            .append("\">")
            .append(escape(edge.get(2))).append("</text>\n");
      }
    }
    for (Node node : nodes.values()) {
      int[] xy = at.get(node.id());
      String label = node.label().length() > LABEL ? node.label().substring(0, LABEL - 1) + "\u2026" : node.label();
      html.append("<g><title>").append(escape(node.title())).append("</title><rect class=\"").append(node.kind())
          .append("\" x=\"").append(xy[0]).append("\" y=\"").append(xy[1]).append("\" rx=\"6\" width=\"")
          .append(NODE_WIDTH).append("\" height=\"").append(NODE_HEIGHT).append("\"/><text x=\"").append(xy[0] + 8)
          .append("\" y=\"").append(xy[1] + 19).append("\">").append(escape(label)).append("</text></g>\n");
    }
    html.append("</svg>\n");
  }

  private static void row(AccessEntry entry, StringBuilder html) {
    List<String> names = new ArrayList<>();
    entry.roles().forEach(r -> names.add(r.substring(r.indexOf(":role/") + 6)));
    String auth = (entry.auth().equals("default") ? "default: " : "") + String.join(" \u2192 ", names);
    html.append("<tr><td>").append(escape(entry.cluster())).append("</td><td>").append(escape(entry.principal().label()))
        .append("</td><td title=\"").append(escape(String.join(",", entry.roles()))).append("\">").append(escape(auth))
        .append("</td><td>").append(escape(entry.command().label())).append("</td><td class=\"mono\">")
        .append(escape(entry.resource() + entry.qualifier())).append("</td></tr>\n");
  }

  /** Text for HTML element content and attribute values. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
      }
    }
    return out.toString();
  }
}

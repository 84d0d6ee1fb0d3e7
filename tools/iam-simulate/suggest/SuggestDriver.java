import dev.iamguard.policy.suggest.Gap;
import dev.iamguard.policy.suggest.IamDocuments;
import dev.iamguard.policy.suggest.ScriptNeeds;
import dev.iamguard.policy.suggest.SuggestRequest;
import dev.iamguard.policy.suggest.SuggestedRole;
import dev.iamguard.policy.suggest.Suggestion;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * fyD harness: reads cases on stdin, each
 *   "#CASE id|depth|user1,user2|defaultRoleArn-or-empty|region" then the script lines, then "#END",
 * and writes one JSON line per case: the documents of every role (as IamDocuments.of writes them),
 * the gaps and the ungranted needs. Suggestion as SuggestProperties makes it (no registry).
 */
public class SuggestDriver {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    String line;
    String[] head = null;
    StringBuilder script = new StringBuilder();
    while ((line = in.readLine()) != null) {
      if (line.startsWith("#CASE ")) {
        head = line.substring(6).split("\\|", -1);
        script.setLength(0);
      } else if (line.equals("#END")) {
        out.println(run(head, script.toString()));
        out.flush();
      } else {
        script.append(line).append('\n');
      }
    }
  }

  static String run(String[] head, String script) {
    StringBuilder json = new StringBuilder();
    json.append("{\"id\":").append(str(head[0]));
    try {
      List<String> users = head[2].isEmpty() ? List.of() : Arrays.asList(head[2].split(","));
      ScriptNeeds needs = new ScriptNeeds(new SuggestRequest(Optional.empty(), "c1", "123456789012", head[4],
          head[3].isEmpty() ? null : head[3], users, Integer.parseInt(head[1])));
      for (SqlStatement statement : SqlScript.parse(script).statements()) {
        needs.add("gen.sql", statement);
      }
      Suggestion s = needs.suggestion();
      json.append(",\"roles\":[");
      boolean first = true;
      for (SuggestedRole role : s.roles()) {
        IamDocuments d = IamDocuments.of(role, s.cluster());
        json.append(first ? "" : ",").append("{\"arn\":").append(str(role.arnText()))
            .append(",\"trust\":").append(tree(d.trust())).append(",\"permissions\":").append(tree(d.permissions()))
            .append("}");
        first = false;
      }
      json.append("],\"gaps\":").append(gaps(s.gaps())).append(",\"ungranted\":").append(gaps(s.ungranted()));
    } catch (RuntimeException e) {
      json.append(",\"exception\":").append(str(e.toString()));
    }
    return json.append("}").toString();
  }

  static String gaps(List<Gap> gaps) {
    List<String> parts = new ArrayList<>();
    for (Gap g : gaps) {
      parts.add("{\"line\":" + g.line() + ",\"reason\":" + str(g.reason()) + "}");
    }
    return "[" + String.join(",", parts) + "]";
  }

  static String tree(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, v) -> parts.add(str(k.toString()) + ":" + tree(v)));
      return "{" + String.join(",", parts) + "}";
    }
    if (o instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(v -> parts.add(tree(v)));
      return "[" + String.join(",", parts) + "]";
    }
    return str(o.toString());
  }

  static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}

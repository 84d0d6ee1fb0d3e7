package dev.iamguard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import dev.iamguard.audit.SecretValues;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link SecretQuotes} answers, for every exception of an error's graph, what a walk from that
 * exception finds: whether any message reachable from it (causes, next exceptions, suppressed ones,
 * cycles and shared exceptions included) quotes a secret.
 */
class SecretQuotesProperties {
  private static final String SECRET = "Sup3rSecretPw";
  private static final SecretValues SECRETS = Redactor.secretValues(List.of(SECRET));

  @Property(tries = 3000)
  void everyExceptionLeadsToASecretExactlyWhenAWalkFromItFindsOne(
      @ForAll @IntRange(min = 1, max = 9) int size,
      @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 9999) Integer> edges,
      @ForAll @Size(max = 9) List<@IntRange(min = 0, max = 8) Integer> quoting) {
    List<SQLException> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      nodes.add(new SQLException(quoting.contains(i) ? "value '" + SECRET + "' refused" : "entry " + i, "22000", i));
    }
    for (int edge : edges) { // kind, from, to packed in one number
      SQLException from = nodes.get(edge % size);
      SQLException to = nodes.get(edge / 10 % size);
      switch (edge / 100 % 3) {
        case 0 -> {
          if (from != to && from.getCause() == null) {
            from.initCause(to);
          }
        }
        case 1 -> {
          if (from.getNextException() == null && from != to) {
            from.setNextException(to);
          }
        }
        default -> {
          if (from != to) {
            from.addSuppressed(to);
          }
        }
      }
    }

    SecretQuotes quotes = new SecretQuotes(nodes.get(0), SECRETS);

    for (SQLException node : reachable(nodes.get(0))) {
      assertThat(quotes.leadsToSecret(node)).as("entry %s", node.getErrorCode()).isEqualTo(walkFinds(node));
    }
    assertThat(quotes.any()).isEqualTo(walkFinds(nodes.get(0)));
    assertThat(quotes.leadsToSecret(new SQLException("outside"))).as("outside the graph: fail closed").isTrue();
  }

  private static List<SQLException> reachable(Throwable top) {
    List<SQLException> found = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Throwable> pending = new ArrayDeque<>(List.of(top));
    while (!pending.isEmpty()) {
      Throwable t = pending.pop();
      if (seen.add(t)) {
        found.add((SQLException) t);
        pending.addAll(children(t));
      }
    }
    return found;
  }

  private static boolean walkFinds(Throwable from) {
    return reachable(from).stream().anyMatch(t -> t.getMessage().contains(SECRET));
  }

  private static List<Throwable> children(Throwable t) {
    List<Throwable> children = new ArrayList<>(List.of(t.getSuppressed()));
    if (((SQLException) t).getNextException() != null) {
      children.add(((SQLException) t).getNextException());
    }
    if (t.getCause() != null) {
      children.add(t.getCause());
    }
    return children;
  }
}

package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import dev.iamguard.audit.SecretValues;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The exceptions of an error's graph (its causes, next exceptions and the exceptions suppressed
 * along the way, cycles included) from which a message that quotes a secret can be reached. Each
 * message is read once for the whole graph, and what leads to a quoting one is found backwards from
 * it: asked again for each link of a chain, a walk from each link's cause went along the rest of the
 * chain when that cause was also the next exception (16,000 such links took 15 s to mask).
 */
final class SecretQuotes {
  /** Each exception of the graph, with the exceptions that lead to it (as cause, next or suppressed). */
  private final IdentityHashMap<Throwable, List<Throwable>> parents = new IdentityHashMap<>();
  private final Set<Throwable> leading = Collections.newSetFromMap(new IdentityHashMap<>());

  /** The graph of {@code top}, read for the given secrets and the shapes {@link Redactor} knows. */
  SecretQuotes(Throwable top, SecretValues secrets) {
    ArrayDeque<Throwable> pending = new ArrayDeque<>(); // a work list, not recursion: chains run tens of thousands deep
    ArrayDeque<Throwable> quoting = new ArrayDeque<>();
    parents.put(top, new ArrayList<>(0));
    pending.push(top);
    while (!pending.isEmpty()) {
      Throwable t = pending.pop();
      String message = t.getMessage();
      if (message != null && !Redactor.redactMessage(message, secrets).equals(message)) {
        quoting.push(t);
      }
      for (Throwable suppressed : t.getSuppressed()) {
        follow(t, suppressed, pending);
      }
      if (t instanceof SQLException sql) {
        follow(t, sql.getNextException(), pending);
      }
      follow(t, t.getCause(), pending);
    }
    while (!quoting.isEmpty()) {
      Throwable t = quoting.pop();
      if (leading.add(t)) {
        quoting.addAll(parents.get(t));
      }
    }
  }

  private void follow(Throwable parent, Throwable child, ArrayDeque<Throwable> pending) {
    if (child == null) {
      return;
    }
    List<Throwable> of = parents.get(child);
    if (of == null) {
      of = new ArrayList<>(1);
      parents.put(child, of);
      pending.push(child);
    }
    of.add(parent);
  }

  /** Whether any message of the graph quotes a secret. */
  boolean any() {
    return !leading.isEmpty();
  }

  /**
   * Whether a message of {@code t}, its causes, next or suppressed exceptions quotes a secret; an
   * exception outside the graph is taken to (fail closed).
   */
  boolean leadsToSecret(Throwable t) {
    return leading.contains(t) || !parents.containsKey(t);
  }
}

package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts whose words a target may still hold after they were sent, for masking their secrets in
 * what it says after them (warnings, a result set's lazy fetch, getMoreResults): the texts on their
 * way into the target now (sent by threads sharing a statement or connection; mostly none or one), and
 * the text whose send returned last. A driver keeps an execution's warnings until the next execution
 * starts, and runs one execution of a connection at a time, so the warnings it holds are those of a
 * text in flight or of the one that returned last: a text refused before it is sent leaves the earlier
 * text's warnings (WarningsOfSentTextsTest); the last two texts given to a statement shared by three
 * threads were two texts in flight, not the one whose warnings the driver still held, and the
 * connection's own warnings were masked by secret shapes alone (TargetWordsMaskedTest).
 *
 * <p>One per statement and one per connection; both are guarded by the connection's: a send records
 * itself in both under one monitor. An entry is a text ({@code String}) or a batch's texts
 * ({@code List<String>}), so that a single text allocates nothing.
 */
final class SentTexts {
  private final List<Object> inFlight = new ArrayList<>(2);
  private Object lastReturned;

  /** Records {@code texts} as on its way into the target, for a statement and its connection. */
  static void sending(SentTexts statement, SentTexts connection, Object texts) {
    synchronized (connection) {
      statement.inFlight.add(texts);
      connection.inFlight.add(texts);
    }
  }

  /** {@code texts}' send returned (or failed): no longer in flight, the texts the target's words are of. */
  static void returned(SentTexts statement, SentTexts connection, Object texts) {
    synchronized (connection) {
      statement.remove(texts);
      connection.remove(texts);
    }
  }

  private void remove(Object texts) {
    for (int i = inFlight.size() - 1; i >= 0; i--) {
      if (inFlight.get(i) == texts) {
        inFlight.remove(i);
        break;
      }
    }
    lastReturned = texts;
  }

  /** The texts in flight and the one that returned last, read under {@code lock} (the connection's). */
  static List<String> texts(SentTexts texts, SentTexts lock) {
    List<String> all = new ArrayList<>();
    synchronized (lock) {
      for (Object entry : texts.inFlight) {
        add(entry, all);
      }
      add(texts.lastReturned, all);
    }
    return all;
  }

  @SuppressWarnings("unchecked")
  private static void add(Object entry, List<String> all) {
    if (entry instanceof String text) {
      all.add(text);
    } else if (entry instanceof List<?> batch) {
      all.addAll((List<String>) batch);
    }
  }

  /** The secret values of {@code texts} (null texts hold none). */
  static List<String> secretsOf(List<String> texts) {
    List<String> secrets = new ArrayList<>(0);
    for (String text : texts) {
      secrets.addAll(Redactor.secretsOf(text));
    }
    return secrets;
  }
}

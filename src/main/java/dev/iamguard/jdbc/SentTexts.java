package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts last sent through a statement or a connection, for masking their secrets in what the
 * target says after them (warnings, a result set's lazy fetch, getMoreResults). A driver keeps an
 * execution's warnings until the next execution starts, so the words it holds are those of a text
 * still on its way (threads sharing a statement or connection) or of one that returned: a text
 * refused before it is sent leaves the earlier text's warnings (WarningsOfSentTextsTest), a statement
 * shared by three threads had the last two texts given to it in flight, not the one whose warnings
 * the driver held, and the connection's own warnings were masked by secret shapes alone
 * (TargetWordsMaskedTest). The last {@value #KEPT} distinct texts recorded are kept: as many threads
 * less one may have texts in flight on one statement at once.
 *
 * <p>Recorded just before each send, without a lock: a text sent again right after itself stores
 * nothing (a statement run again and again is an old object to G1, and a reference stored in one
 * costs a card-marking barrier with a memory fence: about 15 ns of H2's 450 for SELECT 1; a monitor
 * taken around each send cost 3 to 5 % of it: docs/performance-log.md, fifty-second session).
 * Threads that record at the same moment may overwrite each other's slot, as unsynchronized fields
 * do; a reader sees every text recorded before it by its own thread. An entry is a text
 * ({@code String}) or a batch's texts ({@code List<String>}), so that a single text allocates nothing.
 */
final class SentTexts {
  /** How many distinct texts are kept. */
  static final int KEPT = 8;
  private final Object[] recent = new Object[KEPT];
  /** The slot written next. */
  private int next;

  /** Records {@code texts} (a text or a batch's texts) as sent, just before it is sent. */
  void sending(Object texts) {
    int at = next;
    if (recent[(at + KEPT - 1) % KEPT] != texts) {
      recent[at] = texts;
      next = (at + 1) % KEPT;
    }
  }

  /** The texts kept, each batch's texts one by one. */
  List<String> texts() {
    List<String> all = new ArrayList<>();
    for (Object entry : recent.clone()) {
      add(entry, all);
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

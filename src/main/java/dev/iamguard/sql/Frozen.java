package dev.iamguard.sql;

import java.util.List;

/**
 * Immutable copies of the short lists every inspected statement builds (roles, options, findings):
 * {@link List#copyOf} copies into an array first and then into the list; a list of one or two is
 * built directly, and the empty list is the shared one.
 */
public final class Frozen {
  private Frozen() {}

  /** An immutable copy of {@code list} (no null elements, as {@link List#copyOf}). */
  public static <T> List<T> copy(List<T> list) {
    return switch (list.size()) {
      case 0 -> List.of();
      case 1 -> List.of(list.get(0));
      case 2 -> List.of(list.get(0), list.get(1));
      default -> List.copyOf(list);
    };
  }
}

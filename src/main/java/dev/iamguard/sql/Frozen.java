package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Immutable copies of the short lists every inspected statement builds (roles, options, findings):
 * {@link List#copyOf} copies into an array first and then into the list; a list of up to four is
 * built directly, and the empty list is the shared one.
 *
 * <p>Every caller hands in an {@link ArrayList} or an immutable list, and {@code copy} is called from
 * many places with both: asked through the {@link List} interface, {@code size} and {@code get} would
 * be dispatched through the interface table at each call (its call sites see every kind of list),
 * where a class test makes them direct calls.
 */
public final class Frozen {
  private Frozen() {}

  /** An immutable copy of {@code list} (no null elements, as {@link List#copyOf}). */
  public static <T> List<T> copy(List<T> list) {
    if (list.getClass() == ArrayList.class) {
      return copy((ArrayList<T>) list);
    }
    return List.copyOf(list); // an immutable list is returned as it is
  }

  private static <T> List<T> copy(ArrayList<T> list) {
    return switch (list.size()) {
      case 0 -> List.of();
      case 1 -> List.of(list.get(0));
      case 2 -> List.of(list.get(0), list.get(1));
      case 3 -> List.of(list.get(0), list.get(1), list.get(2)); // one array, where copyOf copies twice
      case 4 -> List.of(list.get(0), list.get(1), list.get(2), list.get(3));
      default -> List.copyOf(list);
    };
  }
}

package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Frozen#copy} behaves as {@link List#copyOf} for every size: equal, immutable, detached, no nulls. */
class FrozenTest {

  @Test
  void everySizeCopiesAsListCopyOfDoes() {
    for (int size = 0; size <= 5; size++) {
      List<String> source = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        source.add("e" + i);
      }
      List<String> copy = Frozen.copy(source);
      assertThat(copy).as("size %d", size).isEqualTo(List.copyOf(source));
      assertThat(copy.hashCode()).isEqualTo(source.hashCode());
      source.add("later");
      assertThat(copy).as("detached, size %d", size).hasSize(size);
      assertThatThrownBy(() -> copy.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void aNullElementIsRefusedAtEverySize() {
    for (int size = 1; size <= 4; size++) {
      List<String> source = new ArrayList<>(Arrays.asList(new String[size]));
      assertThatThrownBy(() -> Frozen.copy(source)).as("size %d", size).isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void theEmptyCopyIsTheSharedEmptyList() {
    assertThat(Frozen.copy(new ArrayList<String>())).isSameAs(List.of());
  }
}

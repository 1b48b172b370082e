package io.traininputs.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariantsTest {
  @Test
  void stockIsAlwaysFirstAndNotRepeated() {
    assertEquals(List.of(Variants.stock()), Variants.parse("stock"));
    assertEquals(List.of(Variants.stock()), Variants.parse(""));
    assertEquals(List.of(Variants.stock()), Variants.parse(" stock , stock "));
    assertEquals(Variants.STOCK_NAME, Variants.all().get(0).name());
  }

  @Test
  void unknownVariantNamesTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variants.parse("stock,nope"));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    assertTrue(e.getMessage().contains("known variants: stock"), e.getMessage());
  }

  @Test
  void variantNamesAreRestrictedAndConfsCopied() {
    assertThrows(IllegalArgumentException.class, () -> new Variant("Top N", Map.of()));
    java.util.HashMap<String, String> confs = new java.util.HashMap<>(Map.of("k", "v"));
    Variant v = new Variant("topn", confs);
    confs.put("k", "changed");
    assertEquals(Map.of("k", "v"), v.sessionConfs());
  }
}

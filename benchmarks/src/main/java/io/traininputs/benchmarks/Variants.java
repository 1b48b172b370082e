package io.traininputs.benchmarks;

import io.traininputs.catalyst.TrainingInputsConf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The known variants, by name. {@code stock} is the baseline every other variant is compared with; it must switch
 * every optimisation off explicitly (the same session runs all variants). Add a variant with one line here.
 */
public final class Variants {
  public static final String STOCK_NAME = "stock";

  private static final Map<String, Variant> KNOWN = new LinkedHashMap<>();

  static {
    register(new Variant(STOCK_NAME,
        Map.of(TrainingInputsConf.TOPN_ENABLED, "false", TrainingInputsConf.ASOF_ENABLED, "false")));
    register(new Variant("topn",
        Map.of(TrainingInputsConf.TOPN_ENABLED, "true", TrainingInputsConf.ASOF_ENABLED, "false")));
    register(new Variant("asof",
        Map.of(TrainingInputsConf.TOPN_ENABLED, "true", TrainingInputsConf.ASOF_ENABLED, "true")));
  }

  private Variants() {}

  private static void register(Variant variant) {
    if (KNOWN.putIfAbsent(variant.name(), variant) != null) {
      throw new IllegalStateException("duplicate variant " + variant.name());
    }
  }

  public static Variant stock() {
    return KNOWN.get(STOCK_NAME);
  }

  /** Known variant names in registration order (the default comparison runs them all). */
  public static List<String> names() {
    return List.copyOf(KNOWN.keySet());
  }

  /** Known variants in registration order. */
  public static List<Variant> all() {
    return List.copyOf(KNOWN.values());
  }

  /** The variant called {@code name}; an unknown name is an error listing the known ones. */
  public static Variant named(String name) {
    Variant variant = KNOWN.get(name);
    if (variant == null) {
      throw new IllegalArgumentException(
          "unknown variant '" + name + "'; known variants: " + String.join(",", KNOWN.keySet()));
    }
    return variant;
  }

  /** Resolves comma-separated names; {@code stock} is always first in the result, added if not named. */
  public static List<Variant> parse(String names) {
    List<Variant> result = new ArrayList<>();
    result.add(stock());
    for (String raw : names.split(",")) {
      String name = raw.trim();
      if (name.isEmpty() || name.equals(STOCK_NAME)) {
        continue;
      }
      Variant variant = named(name);
      if (!result.contains(variant)) {
        result.add(variant);
      }
    }
    return result;
  }
}

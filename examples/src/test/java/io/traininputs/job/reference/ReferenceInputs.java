package io.traininputs.job.reference;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The four raw inputs of docs/semantics.md as plain Java values, already in the canonical types. The reference model
 * ({@link ReferenceJob}) reads them directly; {@link ReferenceFrames} turns the very same values into Spark
 * DataFrames, so both sides of a differential test see identical data.
 */
public record ReferenceInputs(
    List<Impression> impressions, List<Click> clicks, List<Cart> carts, List<Order> orders) {
  public ReferenceInputs {
    impressions = List.copyOf(impressions);
    clicks = List.copyOf(clicks);
    carts = List.copyOf(carts);
    orders = List.copyOf(orders);
  }

  /** One element of an impression row's {@code impressions} array; {@code isOrder} may be null. */
  public record ImpressionItem(int itemId, Boolean isOrder) {}

  /** An impression row; {@code dt} is {@code yyyy-MM-dd}, {@code rankingId} may be null. */
  public record Impression(String dt, String rankingId, long customerId, List<ImpressionItem> items) {
    public Impression {
      Objects.requireNonNull(dt, "dt");
      items = List.copyOf(items);
    }
  }

  /** A click: action type 1 with {@code itemId} at {@code clickTime}. */
  public record Click(String dt, long customerId, int itemId, Instant clickTime) {
    public Click {
      Objects.requireNonNull(clickTime, "clickTime");
    }
  }

  /** An add-to-cart: action type 2 with {@code configId} at {@code occurAt}; {@code simpleId} is not used. */
  public record Cart(String dt, long customerId, int configId, int simpleId, Instant occurAt) {
    public Cart {
      Objects.requireNonNull(occurAt, "occurAt");
    }
  }

  /** An order: action type 3 with {@code configId} at 00:00:00 UTC of {@code orderDate}. */
  public record Order(LocalDate orderDate, long customerId, int configId) {
    public Order {
      Objects.requireNonNull(orderDate, "orderDate");
    }
  }
}

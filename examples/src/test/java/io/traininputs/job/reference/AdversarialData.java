package io.traininputs.job.reference;

import io.traininputs.job.JobOptions;
import io.traininputs.job.reference.ReferenceInputs.Cart;
import io.traininputs.job.reference.ReferenceInputs.Click;
import io.traininputs.job.reference.ReferenceInputs.Impression;
import io.traininputs.job.reference.ReferenceInputs.ImpressionItem;
import io.traininputs.job.reference.ReferenceInputs.Order;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of small raw inputs full of the cases where a history implementation goes wrong. Planted
 * relative to the options (the cap N, the lookback, the train window) so that each case really bites, then
 * surrounded by random customers whose times are drawn from a few shared instants (so ties are common).
 * {@link AdversarialFeatures} checks that every planted case is present, so the tests cannot silently weaken.
 */
public final class AdversarialData {
  /** Customer whose history is longer than N, the cap cutting through a tie group. */
  public static final long CAPPED_CUSTOMER = Long.MAX_VALUE;
  /** Customer with impressions (one of them empty) and no action at all. */
  public static final long NO_ACTIONS_CUSTOMER = Long.MIN_VALUE;
  /** Customer with actions exactly at, and one microsecond outside, the lookback boundary. */
  public static final long BOUNDARY_CUSTOMER = -1L;
  /** Customer with ties on extreme item ids, exact duplicates and same-day actions. */
  public static final long EXTREME_ITEMS_CUSTOMER = -9_007_199_254_740_993L;
  /** Customer with actions, none of them in the window (at 00:00 of the as-of day, or before the lookback). */
  public static final long OUT_OF_WINDOW_CUSTOMER = 0L;
  /** Customers with actions and no impression at all. */
  public static final long[] NO_IMPRESSIONS_CUSTOMERS = {Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 777L};

  private static final LocalDate FIRST_LAST_DAY = LocalDate.of(2025, 1, 1);
  private static final int RANDOM_CUSTOMERS = 14;

  private final Random random;
  private final JobOptions options;
  private final LocalDate last;
  private final List<Impression> impressions = new ArrayList<>();
  private final List<Click> clicks = new ArrayList<>();
  private final List<Cart> carts = new ArrayList<>();
  private final List<Order> orders = new ArrayList<>();
  private int rankings;

  private AdversarialData(long seed, JobOptions options) {
    this.random = new Random(seed);
    this.options = options;
    this.last = FIRST_LAST_DAY.plusDays(random.nextInt(400));
  }

  /** The same seed and options always give the same inputs. */
  public static ReferenceInputs generate(long seed, JobOptions options) {
    AdversarialData g = new AdversarialData(seed, options);
    g.cappedCustomer();
    g.boundaryCustomer();
    g.extremeItemsCustomer();
    g.outOfWindowCustomer();
    g.noActionsCustomer();
    g.noImpressionsCustomers();
    g.trainWindowEdges();
    for (int i = 0; i < RANDOM_CUSTOMERS; i++) {
      g.randomCustomer(i < RANDOM_CUSTOMERS / 2 ? 1 + g.random.nextInt(60) : g.random.nextLong());
    }
    g.duplicateOneImpressionRow();
    return new ReferenceInputs(g.impressions, g.clicks, g.carts, g.orders);
  }

  private void cappedCustomer() {
    long c = CAPPED_CUSTOMER;
    int n = options.maxActions();
    Instant day0 = midnight(last);
    long windowMicros = options.lookbackDays() * 86_400_000_000L;
    long stepMicros = Math.min(3_600_000_000L, windowMicros / (n + 8));
    // n - 1 actions at distinct instants, then a tie group at rank n: the cap keeps exactly its first element.
    for (int k = 1; k < n; k++) {
      Instant t = day0.minus(k * stepMicros, ChronoUnit.MICROS);
      if (random.nextBoolean()) {
        click(c, 1 + random.nextInt(1000), t);
      } else {
        cart(c, 1 + random.nextInt(1000), t);
      }
    }
    Instant tie = day0.minus(n * stepMicros, ChronoUnit.MICROS);
    click(c, 40, tie);
    click(c, 41, tie);
    cart(c, 30, tie);
    cart(c, 29, tie);
    click(c, 42, day0.minus((n + 1) * stepMicros, ChronoUnit.MICROS));
    // Not yet happened on the as-of day: a plan that caps before it filters the window loses real history.
    click(c, 43, day0);
    cart(c, 44, day0.plus(Duration.ofHours(1)));
    impression(last, c, 3);
    impression(last, c, 2);
    impression(last.minusDays(1), c, 1);
  }

  private void boundaryCustomer() {
    long c = BOUNDARY_CUSTOMER;
    LocalDate from = last.minusDays(options.lookbackDays());
    Instant boundary = midnight(from);
    Instant justOutside = boundary.minus(1, ChronoUnit.MICROS);
    click(c, 501, boundary);
    orders.add(new Order(from, c, -42));
    orders.add(new Order(from, c, -42));
    click(c, 502, justOutside);
    cart(c, 503, justOutside);
    orders.add(new Order(from.minusDays(1), c, 504));
    impression(last, c, 2);
  }

  private void extremeItemsCustomer() {
    long c = EXTREME_ITEMS_CUSTOMER;
    Instant day0 = midnight(last);
    Instant latest = day0.minus(1, ChronoUnit.MICROS);
    cart(c, Integer.MAX_VALUE, latest);
    for (int item : new int[] {5, Integer.MAX_VALUE, -1, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, -7}) {
      click(c, item, latest);
    }
    Instant twoHoursBefore = day0.minus(Duration.ofHours(2));
    click(c, 77, twoHoursBefore);
    click(c, 77, twoHoursBefore);
    carts.add(new Cart(dt(twoHoursBefore), c, 78, 1, twoHoursBefore));
    carts.add(new Cart(dt(twoHoursBefore), c, 78, 2, twoHoursBefore));
    orders.add(new Order(last.minusDays(1), c, 79));
    orders.add(new Order(last.minusDays(1), c, 79));
    click(c, 80, midnight(last.minusDays(1)));
    click(c, 11, day0);
    orders.add(new Order(last, c, 12));
    cart(c, 13, day0.plus(Duration.ofHours(5)));
    impression(last, c, 4);
    impression(last.minusDays(1), c, 2);
    // Nulls that are not bad input: a null ranking_id and a null is_order pass through as they are.
    impressions.add(new Impression(last.toString(), null, c, List.of(
        new ImpressionItem(Integer.MIN_VALUE, null), new ImpressionItem(Integer.MAX_VALUE, true),
        new ImpressionItem(-3, false))));
  }

  private void outOfWindowCustomer() {
    long c = OUT_OF_WINDOW_CUSTOMER;
    Instant day0 = midnight(last);
    click(c, 601, day0);
    orders.add(new Order(last, c, 602));
    cart(c, 603, midnight(last.minusDays(options.lookbackDays())).minus(1, ChronoUnit.MICROS));
    cart(c, 604, day0.plus(Duration.ofDays(1)));
    impression(last, c, 1);
  }

  private void noActionsCustomer() {
    impression(last, NO_ACTIONS_CUSTOMER, 2);
    impression(last, NO_ACTIONS_CUSTOMER, 0);
  }

  private void noImpressionsCustomers() {
    for (long c : NO_IMPRESSIONS_CUSTOMERS) {
      for (int i = 0; i < 5; i++) {
        click(c, 900 + i, midnight(last).minus(Duration.ofMinutes(1 + random.nextInt(10_000))));
      }
      orders.add(new Order(last.minusDays(1), c, 905));
    }
  }

  /** The oldest selected day and the newest excluded one: {@code dt > last - trainDays} exactly at its edge. */
  private void trainWindowEdges() {
    long c = 1 + random.nextInt(60);
    LocalDate oldestSelected = last.minusDays(options.trainDays() - 1);
    impression(oldestSelected, c, 2);
    impression(oldestSelected.minusDays(1), c, 2);
    click(c, 701, midnight(oldestSelected).minus(Duration.ofHours(1)));
  }

  private void randomCustomer(long c) {
    int trainDays = options.trainDays();
    List<LocalDate> days = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      LocalDate day = random.nextBoolean()
          ? last.minusDays(random.nextInt(trainDays))
          : last.minusDays(trainDays + random.nextInt(6));
      days.add(day);
      for (int j = 0, rows = 1 + random.nextInt(2); j < rows; j++) {
        impression(day, c, random.nextInt(5));
      }
    }
    // A few shared instants per customer, some at midnight (where orders land), make ties common.
    LocalDate anchor = days.get(0);
    long spanMicros = (options.lookbackDays() + 2L) * 86_400_000_000L;
    Instant start = midnight(anchor.minusDays(options.lookbackDays() + 1));
    List<Instant> moments = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      moments.add(start.plus(Math.floorMod(random.nextLong(), spanMicros), ChronoUnit.MICROS));
      moments.add(midnight(anchor.minusDays(random.nextInt(options.lookbackDays() + 2))));
    }
    for (int i = 0, n = random.nextInt(40); i < n; i++) {
      Instant t = random.nextInt(3) == 0
          ? start.plus(Math.floorMod(random.nextLong(), spanMicros), ChronoUnit.MICROS)
          : moments.get(random.nextInt(moments.size()));
      int item = randomItem();
      switch (random.nextInt(5)) {
        case 0, 1 -> click(c, item, t);
        case 2, 3 -> cart(c, item, t);
        default -> orders.add(new Order(t.atZone(ZoneOffset.UTC).toLocalDate(), c, item));
      }
      if (random.nextInt(10) == 0) {
        click(c, item, t);
        click(c, item, t);
      }
    }
  }

  private int randomItem() {
    return switch (random.nextInt(12)) {
      case 0 -> Integer.MAX_VALUE - random.nextInt(3);
      case 1 -> Integer.MIN_VALUE + random.nextInt(3);
      case 2 -> -1 - random.nextInt(5);
      default -> 1 + random.nextInt(6);
    };
  }

  private void duplicateOneImpressionRow() {
    LocalDate oldestSelected = last.minusDays(options.trainDays() - 1);
    List<Impression> selected = new ArrayList<>();
    for (Impression i : impressions) {
      if (!LocalDate.parse(i.dt()).isBefore(oldestSelected) && !i.items().isEmpty()) {
        selected.add(i);
      }
    }
    impressions.add(selected.get(random.nextInt(selected.size())));
  }

  private void impression(LocalDate day, long customer, int items) {
    List<ImpressionItem> elements = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      elements.add(new ImpressionItem(randomItem(), random.nextBoolean()));
    }
    impressions.add(new Impression(day.toString(), "r" + rankings++, customer, elements));
  }

  private void click(long customer, int item, Instant t) {
    clicks.add(new Click(dt(t), customer, item, t));
  }

  private void cart(long customer, int config, Instant t) {
    carts.add(new Cart(dt(t), customer, config, random.nextInt(1_000_000), t));
  }

  private static String dt(Instant t) {
    return t.atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  private static Instant midnight(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}

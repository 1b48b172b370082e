package io.traininputs.job.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.traininputs.job.JobDifferential;
import io.traininputs.job.JobOptions;
import io.traininputs.job.reference.ReferenceInputs.Impression;
import io.traininputs.job.reference.ReferenceInputs.ImpressionItem;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated data is adversarial enough: every planted case is present (for more seeds than the Spark test
 * runs), and every plausible wrong implementation of docs/semantics.md, modelled here as a mutant of the reference,
 * produces different rows on every Spark test case, so the exact comparison would catch it. No Spark.
 */
class AdversarialDataTest {
  /** Plausible mistakes of a history implementation. */
  enum Mutant {
    NONE,
    ITEM_ASCENDING,
    TYPE_ASCENDING,
    AS_OF_MIDNIGHT_INCLUDED,
    BOUNDARY_EXCLUDED,
    ONE_MICROSECOND_BEFORE_BOUNDARY_INCLUDED,
    DUPLICATES_DROPPED,
    ORDERS_AT_END_OF_DAY,
    CAP_BEFORE_WINDOW,
    TRAIN_DAYS_OFF_BY_ONE,
    TRAIN_WINDOW_PER_CUSTOMER,
    NO_ROW_WITHOUT_HISTORY,
    EMPTY_IMPRESSIONS_EXPLODE_TO_A_NULL_ROW
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("io.traininputs.job.reference.DifferentialCases#moreSeeds")
  void everyAdversarialFeatureIsPresent(long seed, JobOptions options) {
    assertEquals(List.of(), AdversarialFeatures.missing(AdversarialData.generate(seed, options), options));
  }

  @ParameterizedTest(name = "seed {0}, {1}")
  @MethodSource("io.traininputs.job.reference.DifferentialCases#cases")
  void everyMutantOfTheSemanticsChangesTheOutput(long seed, JobOptions options) {
    ReferenceInputs data = AdversarialData.generate(seed, options);
    List<ReferenceRow> expected = ReferenceJob.run(data, options);
    assertNull(JobDifferential.diff(expected, mutantRun(data, options, Mutant.NONE)), "the mutant harness");

    List<Mutant> survivors = new ArrayList<>();
    for (Mutant m : Mutant.values()) {
      boolean equivalent = m == Mutant.NONE
          // With N = 1 dropping a copy of an action never changes the first one.
          || (m == Mutant.DUPLICATES_DROPPED && options.maxActions() == 1)
          || (m == Mutant.EMPTY_IMPRESSIONS_EXPLODE_TO_A_NULL_ROW && !options.explode());
      if (!equivalent && JobDifferential.diff(expected, mutantRun(data, options, m)) == null) {
        survivors.add(m);
      }
    }
    assertEquals(List.of(), survivors, "mutants the data cannot tell from the semantics");
  }

  @Test
  void theSameSeedGivesTheSameDataAndAnotherSeedOtherData() {
    JobOptions options = JobOptions.builder().maxActions(3).lookbackDays(30).trainDays(3).build();

    assertEquals(AdversarialData.generate(42, options), AdversarialData.generate(42, options));
    assertNotEquals(AdversarialData.generate(42, options), AdversarialData.generate(43, options));
  }

  /** The reference with one mistake planted; {@link Mutant#NONE} must agree with {@link ReferenceJob#run}. */
  private static List<ReferenceRow> mutantRun(ReferenceInputs in, JobOptions o, Mutant m) {
    List<ReferenceAction> actions = new ArrayList<>();
    for (ReferenceAction a : ReferenceJob.actions(in)) {
      if (m == Mutant.ORDERS_AT_END_OF_DAY && a.actionType() == ReferenceJob.ORDER) {
        a = new ReferenceAction(a.customerId(), a.itemId(), a.actionType(),
            a.occurredAt().plus(Duration.ofDays(1)).minus(1, ChronoUnit.MICROS));
      }
      actions.add(a);
    }
    if (m == Mutant.DUPLICATES_DROPPED) {
      actions = new ArrayList<>(new LinkedHashSet<>(actions));
    }
    Map<Long, List<ReferenceAction>> byCustomer = ReferenceJob.byCustomer(actions);
    List<ReferenceRow> rows = new ArrayList<>();
    for (Impression i : selected(in.impressions(), o.trainDays(), m)) {
      LocalDate asOf = ReferenceJob.asOfDate(i);
      List<ReferenceAction> q = window(byCustomer.getOrDefault(i.customerId(), List.of()), asOf, o, m);
      if (m == Mutant.NO_ROW_WITHOUT_HISTORY && q.isEmpty()) {
        continue;
      }
      ReferenceHistory h = ReferenceHistory.of(q, o.maxActions());
      if (!o.explode()) {
        rows.add(ReferenceRow.unexploded(asOf, i.rankingId(), i.customerId(), i.items(), h));
      } else if (m == Mutant.EMPTY_IMPRESSIONS_EXPLODE_TO_A_NULL_ROW && i.items().isEmpty()) {
        rows.add(new ReferenceRow(asOf, i.rankingId(), i.customerId(), null, null, null, h.actions(),
            h.actionTypes()));
      } else {
        for (ImpressionItem item : i.items()) {
          rows.add(ReferenceRow.exploded(asOf, i.rankingId(), i.customerId(), item, h));
        }
      }
    }
    return rows;
  }

  private static List<Impression> selected(List<Impression> impressions, int trainDays, Mutant m) {
    if (m == Mutant.TRAIN_DAYS_OFF_BY_ONE) {
      return ReferenceJob.selectedImpressions(impressions, trainDays + 1);
    }
    if (m != Mutant.TRAIN_WINDOW_PER_CUSTOMER) {
      return ReferenceJob.selectedImpressions(impressions, trainDays);
    }
    Map<Long, List<Impression>> byCustomer = new HashMap<>();
    impressions.forEach(i -> byCustomer.computeIfAbsent(i.customerId(), k -> new ArrayList<>()).add(i));
    List<Impression> out = new ArrayList<>();
    for (Impression i : impressions) {
      if (ReferenceJob.selectedImpressions(byCustomer.get(i.customerId()), trainDays).contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  private static List<ReferenceAction> window(
      List<ReferenceAction> actions, LocalDate asOf, JobOptions o, Mutant m) {
    Instant day0 = ReferenceJob.midnightUtc(asOf);
    Instant from = ReferenceJob.lookbackStart(asOf, o.lookbackDays());
    Comparator<ReferenceAction> order = switch (m) {
      case ITEM_ASCENDING -> Comparator.comparing(ReferenceAction::occurredAt)
          .thenComparingInt(ReferenceAction::actionType).reversed()
          .thenComparingInt(ReferenceAction::itemId);
      case TYPE_ASCENDING -> Comparator.comparing(ReferenceAction::occurredAt).reversed()
          .thenComparingInt(ReferenceAction::actionType)
          .thenComparing(Comparator.comparingInt(ReferenceAction::itemId).reversed());
      default -> ReferenceAction.HISTORY_ORDER;
    };
    List<ReferenceAction> candidates = new ArrayList<>(actions);
    if (m == Mutant.CAP_BEFORE_WINDOW) {
      candidates.sort(order);
      candidates = candidates.subList(0, Math.min(o.maxActions(), candidates.size()));
    }
    List<ReferenceAction> q = new ArrayList<>();
    for (ReferenceAction a : candidates) {
      Instant t = a.occurredAt();
      boolean afterStart = switch (m) {
        case BOUNDARY_EXCLUDED -> t.isAfter(from);
        case ONE_MICROSECOND_BEFORE_BOUNDARY_INCLUDED -> !t.isBefore(from.minus(1, ChronoUnit.MICROS));
        default -> !t.isBefore(from);
      };
      boolean beforeDay0 = m == Mutant.AS_OF_MIDNIGHT_INCLUDED ? !t.isAfter(day0) : t.isBefore(day0);
      if (afterStart && beforeDay0) {
        q.add(a);
      }
    }
    q.sort(order);
    return q;
  }
}

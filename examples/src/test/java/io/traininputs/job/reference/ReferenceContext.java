package io.traininputs.job.reference;

import java.time.LocalDate;

/** One (customer_id, as_of_date) whose history is built. */
public record ReferenceContext(long customerId, LocalDate asOfDate) {}

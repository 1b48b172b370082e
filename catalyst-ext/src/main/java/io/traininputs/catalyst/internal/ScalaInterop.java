package io.traininputs.catalyst.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** Every Scala collection conversion of the module lives here (public for the as-of sub-package only). */
public final class ScalaInterop {

  private ScalaInterop() {
  }

  public static <T> List<T> toJava(scala.collection.Seq<T> seq) {
    return CollectionConverters.asJava(seq);
  }

  public static <T> Seq<T> toSeq(List<T> list) {
    return CollectionConverters.asScala(new ArrayList<>(list)).toList();
  }

  @SafeVarargs
  public static <T> Seq<T> seqOf(T... items) {
    List<T> list = new ArrayList<>(items.length);
    Collections.addAll(list, items);
    return toSeq(list);
  }

  public static <T> Seq<T> append(scala.collection.Seq<T> seq, T item) {
    List<T> list = new ArrayList<>(toJava(seq));
    list.add(item);
    return toSeq(list);
  }

  public static <T> Seq<T> concat(scala.collection.Seq<T> left, scala.collection.Seq<T> right) {
    List<T> list = new ArrayList<>(toJava(left));
    list.addAll(toJava(right));
    return toSeq(list);
  }

  public static <K, V> scala.collection.immutable.Map<K, V> toMap(Map<K, V> map) {
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(map));
  }

  public static <T> scala.collection.Iterator<T> toScala(java.util.Iterator<T> iterator) {
    return CollectionConverters.asScala(iterator);
  }

  public static <T> java.util.Iterator<T> toJava(scala.collection.Iterator<T> iterator) {
    return CollectionConverters.asJava(iterator);
  }

  /** Scala's Seq is covariant; Java's view of it is not. */
  @SuppressWarnings("unchecked")
  public static Seq<org.apache.spark.sql.catalyst.expressions.Expression> asExpressions(
      Seq<? extends org.apache.spark.sql.catalyst.expressions.Expression> seq) {
    return (Seq<org.apache.spark.sql.catalyst.expressions.Expression>) seq;
  }
}

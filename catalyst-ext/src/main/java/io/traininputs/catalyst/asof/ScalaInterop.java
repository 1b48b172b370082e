package io.traininputs.catalyst.asof;

import java.util.List;
import scala.Option;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** The few conversions between Java and Scala collections this package needs. */
final class ScalaInterop {
  private ScalaInterop() {}

  static <T> Seq<T> seq(List<T> values) {
    return CollectionConverters.asScala(values).toList();
  }

  static <T> List<T> list(scala.collection.Seq<T> values) {
    return CollectionConverters.asJava(values);
  }

  static <T> Option<T> none() {
    return Option.empty();
  }
}

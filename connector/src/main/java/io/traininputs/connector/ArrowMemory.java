package io.traininputs.connector;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** The one Arrow root allocator of this JVM; writers and readers take child allocators from it. */
final class ArrowMemory {
  private static final BufferAllocator ROOT = new RootAllocator(Long.MAX_VALUE);

  private ArrowMemory() {
  }

  static BufferAllocator newChild(String name) {
    return ROOT.newChildAllocator(name, 0, Long.MAX_VALUE);
  }
}

package io.traininputs.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * Splits the bytes of a JSON array file into the original text of each element, one record per element. The file
 * may hold several top-level values ({@code [..] [..]} or arrays followed by objects); a top-level value that is not
 * an array is one record. When the text stops parsing, the rest of the file from the end of the last complete
 * element is one record, which later fails to parse and is quarantined as it came: records are never dropped, and
 * records that parsed before the damage are kept. A file that is not valid UTF-8 is one record, its bytes as they
 * came: decoding would replace the bad bytes, and no element could be quarantined as it came.
 */
final class JsonArraySplitter implements FlatMapFunction<byte[], byte[]> {
  private static final long serialVersionUID = 1L;
  private static final JsonFactory FACTORY = new JsonFactory();

  @Override
  public Iterator<byte[]> call(byte[] file) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(file)).toString();
    } catch (CharacterCodingException e) {
      return List.of(file).iterator();
    }
    return split(text).stream().map(r -> r.getBytes(StandardCharsets.UTF_8)).iterator();
  }

  static List<String> split(String fileText) {
    String text = fileText.startsWith("\uFEFF") ? fileText.substring(1) : fileText;
    List<String> records = new ArrayList<>();
    int done = 0;
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken top;
      while ((top = parser.nextToken()) != null) {
        if (top == JsonToken.START_ARRAY) {
          JsonToken element;
          while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (element == null) {
              throw new IOException("unterminated array");
            }
            done = addValue(parser, text, records);
          }
          done = end(parser);
        } else {
          done = addValue(parser, text, records);
        }
      }
    } catch (IOException e) {
      String rest = text.substring(Math.min(done, text.length())).strip();
      if (rest.startsWith(",")) {
        rest = rest.substring(1).strip();
      }
      if (!rest.isEmpty()) {
        records.add(rest);
      }
    }
    return records;
  }

  /** Adds the value at the current token and returns the offset just past it. */
  private static int addValue(JsonParser parser, String text, List<String> records) throws IOException {
    int start = (int) parser.currentTokenLocation().getCharOffset();
    parser.skipChildren();
    parser.finishToken();
    int stop = end(parser);
    records.add(text.substring(start, stop));
    return stop;
  }

  private static int end(JsonParser parser) {
    return (int) parser.currentLocation().getCharOffset();
  }
}

package zeroshot.client.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a header row; columns padded to their widest cell. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] rightAligned;

  /** Creates a table; a header starting with '>' is right-aligned (the '>' is dropped). */
  Table(String... headers) {
    rightAligned = new boolean[headers.length];
    String[] header = new String[headers.length];
    for (int i = 0; i < headers.length; i++) {
      rightAligned[i] = headers[i].startsWith(">");
      header[i] = rightAligned[i] ? headers[i].substring(1) : headers[i];
    }
    rows.add(header);
  }

  Table row(Object... cells) {
    if (cells.length != rightAligned.length) {
      throw new IllegalArgumentException(
          "cells: " + cells.length + " (expected: " + rightAligned.length + ")");
    }
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = String.valueOf(cells[i]);
    }
    rows.add(row);
    return this;
  }

  /** Returns the table, one line per row, each ending with a line separator. */
  String render() {
    int[] widths = new int[rightAligned.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String padding = " ".repeat(widths[i] - row[i].length());
        line.append(i == 0 ? "" : "  ");
        line.append(rightAligned[i] ? padding + row[i] : row[i] + padding);
      }
      out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return out.toString();
  }
}

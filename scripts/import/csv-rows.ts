/**
 * RFC 4180 CSV through csv-parse: quoted fields, embedded commas and line breaks, doubled quotes, CRLF or LF,
 * a UTF-8 byte order mark. A row the parser cannot read (a stray or unclosed quote) is reported, not fatal,
 * so one bad row never stops an import. Cells are trimmed; blank lines are passed over.
 */
import { parse, type CsvError } from "csv-parse/sync";

export interface CsvRow {
  /** The line the row starts on, counting from 1 (a quoted line break makes a row span several). */
  line: number;
  cells: string[];
}

export interface CsvProblem {
  line: number;
  reason: string;
}

const REASONS: Partial<Record<string, string>> = {
  INVALID_OPENING_QUOTE: "a quote inside an unquoted field (quote the whole field and double the quote)",
  // csv-parse then reads on as if the quote had not closed, so a CSV_QUOTE_NOT_CLOSED usually follows.
  CSV_INVALID_CLOSING_QUOTE: "characters after a closing quote",
  CSV_QUOTE_NOT_CLOSED: "a quote is never closed: rows from this line to the end of the file are not read",
};

export function readCsvRows(text: string): { rows: CsvRow[]; problems: CsvProblem[] } {
  const rows: CsvRow[] = [];
  const problems: CsvProblem[] = [];
  // csv-parse counts every CR and every LF inside a quoted field as a line, so a CRLF there would shift every
  // later line number: with LF alone its count is exact. Each callback runs in file order.
  let lastLine = 0;
  parse(text.replace(/\r\n?/g, "\n"), {
    bom: true,
    trim: true,
    relax_column_count: true,
    // Blank lines come through as empty rows, so every line belongs to a row and an unreadable row starts
    // on the line after the previous one.
    skip_empty_lines: false,
    skip_records_with_error: true,
    on_record: (record: string[], { lines }) => {
      lastLine = lines;
      const breaks = record.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
      if (!(record.length === 1 && record[0] === "")) rows.push({ line: lines - breaks, cells: record });
      return null;
    },
    on_skip: (error: CsvError | undefined) => {
      if (!error) return undefined;
      problems.push({ line: lastLine + 1, reason: REASONS[error.code] ?? error.message });
      lastLine = Math.max(lastLine + 1, Number(error.lines) || 0);
      return undefined;
    },
  });
  return { rows, problems };
}

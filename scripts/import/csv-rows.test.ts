import { describe, expect, test } from "bun:test";
import { readCsvRows } from "./csv-rows.ts";

const cells = (text: string) => readCsvRows(text).rows.map((row) => row.cells);

describe("reading CSV rows", () => {
  test("plain rows are split on commas and trimmed", () => {
    expect(cells("ford, FORD \ntrabant,TRABANT")).toEqual([
      ["ford", "FORD"],
      ["trabant", "TRABANT"],
    ]);
  });

  test("quoted fields lose their quotes", () => {
    expect(cells('alfa-romeo,"ALFA ROMEO"\n"tesla","TESLA"')).toEqual([
      ["alfa-romeo", "ALFA ROMEO"],
      ["tesla", "TESLA"],
    ]);
  });

  test("a comma inside quotes stays in the field", () => {
    expect(cells('ab12cde,ford-fiesta,"Red, metallic",2019')).toEqual([["ab12cde", "ford-fiesta", "Red, metallic", "2019"]]);
  });

  test("a doubled quote inside quotes is one quote", () => {
    expect(cells('ford-fiesta,ford,"FIESTA ""ST"""')).toEqual([["ford-fiesta", "ford", 'FIESTA "ST"']]);
  });

  test("CRLF line endings leave no carriage return in the last field", () => {
    expect(cells("ford,FORD\r\ntrabant,TRABANT\r\n")).toEqual([
      ["ford", "FORD"],
      ["trabant", "TRABANT"],
    ]);
  });

  test("a UTF-8 byte order mark is not part of the first field", () => {
    expect(cells("\uFEFFford,FORD\n")).toEqual([["ford", "FORD"]]);
  });

  test("blank lines are passed over without shifting line numbers", () => {
    expect(readCsvRows("\uFEFFford,FORD\r\n\r\n   \r\ntrabant,TRABANT").rows).toEqual([
      { line: 1, cells: ["ford", "FORD"] },
      { line: 4, cells: ["trabant", "TRABANT"] },
    ]);
  });

  test("a quoted line break keeps the row whole; rows count from the line they start on", () => {
    expect(readCsvRows('a,"two\r\nlines"\r\nb,"three\nlines\nhere"\nc,1').rows).toEqual([
      { line: 1, cells: ["a", "two\nlines"] },
      { line: 3, cells: ["b", "three\nlines\nhere"] },
      { line: 6, cells: ["c", "1"] },
    ]);
  });

  test("a row with a stray quote is reported with its line and the rows around it are kept", () => {
    const { rows, problems } = readCsvRows('ford,FORD\nbad"quote,X\n"opel",OPEL');
    expect(rows.map((row) => row.line)).toEqual([1, 3]);
    expect(problems).toEqual([{ line: 2, reason: "a quote inside an unquoted field (quote the whole field and double the quote)" }]);
  });

  test("a quote never closed is reported at the line it opens, taking the rest of the file with it", () => {
    const { rows, problems } = readCsvRows('ford,FORD\n"opel,OPEL\nvw,VW\n');
    expect(rows).toEqual([{ line: 1, cells: ["ford", "FORD"] }]);
    expect(problems).toEqual([{ line: 2, reason: "a quote is never closed: rows from this line to the end of the file are not read" }]);
  });

  test("characters after a closing quote are reported, and so is what the parser cannot read after them", () => {
    expect(readCsvRows('ford,FORD\nopel,"OPEL"x\nvw,VW').problems).toEqual([
      { line: 2, reason: "characters after a closing quote" },
      { line: 3, reason: "a quote is never closed: rows from this line to the end of the file are not read" },
    ]);
  });
});

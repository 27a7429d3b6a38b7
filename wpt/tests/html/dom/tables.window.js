// META: title=Table elements: rows, sections, cells and their insertion (HTML §4.9)
"use strict";

test(() => {
  const table = document.createElement("table");
  assert_true(table instanceof HTMLTableElement);
  assert_equals(table.rows.length, 0);
  const row = table.insertRow();
  assert_true(row instanceof HTMLTableRowElement);
  assert_equals(row.parentNode.localName, "tbody", "the first row gets a tbody");
  assert_equals(table.tBodies.length, 1);
  const cell = row.insertCell();
  cell.textContent = "Episode 1";
  assert_true(cell instanceof HTMLTableCellElement);
  assert_equals(cell.cellIndex, 0);
  row.insertCell(0).textContent = "1";
  assert_equals(row.cells[1], cell);
  assert_equals(cell.cellIndex, 1);
  assert_throws_dom("IndexSizeError", () => row.insertCell(5));
  const head = table.createTHead();
  assert_equals(table.tHead, head);
  assert_equals(table.createTHead(), head, "createTHead returns the existing one");
  head.insertRow().insertCell().textContent = "#";
  const foot = table.createTFoot();
  foot.insertRow();
  const caption = table.createCaption();
  assert_equals(table.firstChild, caption, "the caption comes first");
  assert_equals(table.rows.length, 3);
  assert_equals(table.rows[0].parentNode, head, "head rows first");
  assert_equals(table.rows[2].parentNode, foot, "foot rows last");
  assert_equals(row.rowIndex, 1);
  assert_equals(row.sectionRowIndex, 0);
  table.insertRow(1).id = "inserted";
  assert_equals(table.rows[1].id, "inserted");
  table.deleteRow(-1);
  assert_equals(table.rows.length, 3);
  table.deleteRow(1);
  assert_equals(table.rows[1], row);
  assert_throws_dom("IndexSizeError", () => table.deleteRow(10));
  assert_throws_dom("HierarchyRequestError", () => { table.tHead = document.createElement("tbody"); });
  table.deleteCaption();
  assert_equals(table.caption, null);
  const body2 = table.createTBody();
  assert_equals(table.tBodies[1], body2);
}, "building a table from script");

test(() => {
  const td = document.createElement("td");
  assert_equals(td.colSpan, 1);
  td.setAttribute("colspan", "5000");
  assert_equals(td.colSpan, 1000, "clamped to the range");
  td.setAttribute("rowspan", "0");
  assert_equals(td.rowSpan, 0);
  td.colSpan = 0;
  assert_equals(td.getAttribute("colspan"), "0");
  const th = document.createElement("th");
  assert_true(th instanceof HTMLTableCellElement);
  th.setAttribute("scope", "COL");
  assert_equals(th.scope, "col");
  assert_equals(document.createElement("col").span, 1);
  assert_true(document.createElement("colgroup") instanceof HTMLTableColElement);
}, "cell and column attributes");

test(() => {
  const div = document.createElement("div");
  div.innerHTML = "<table><tr><td>a<td>b<tr><th>c</table>";
  const table = div.firstChild;
  assert_equals(table.rows.length, 2);
  assert_equals(table.rows[0].cells.length, 2);
  assert_equals(table.rows[1].cells[0].localName, "th");
  assert_equals(table.tBodies.length, 1, "the parser made a tbody");
}, "parsed tables");

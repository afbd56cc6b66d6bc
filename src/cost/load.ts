import { readFile } from 'node:fs/promises';
import { type ChosenTable, PINNED_TABLE } from './drill-cost.js';
import { parsePriceTable } from './price-table.js';

/** The price table to use: the file given (--price-table, the notify input price-table), else the pinned one. */
export async function loadPriceTable(file?: string): Promise<ChosenTable> {
  if (!file) return PINNED_TABLE;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the price table ${file}: ${(error as Error).message}`);
  }
  return { table: parsePriceTable(text, file), origin: file };
}

export { type CsvInput, type CsvReport, type ReadCsvOptions, readCsv, readCsvHeader } from './internals/csv/read-csv.ts';

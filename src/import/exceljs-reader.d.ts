// exceljs ships types for its package root only; the streaming reader is imported on its own (xlsx.ts).
declare module 'exceljs/lib/stream/xlsx/workbook-reader.js' {
  const WorkbookReader: typeof import('exceljs').stream.xlsx.WorkbookReader;
  export default WorkbookReader;
}

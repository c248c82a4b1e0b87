// exceljs ships types for its package root only; the streaming reader is imported on its own (xlsx.ts).
declare module 'exceljs/lib/stream/xlsx/workbook-reader.js' {
  const WorkbookReader: typeof import('exceljs').stream.xlsx.WorkbookReader;
  export default WorkbookReader;
}

// unzipper (exceljs's own zip library) ships no types: the part xlsx.ts uses.
declare module 'unzipper' {
  interface CentralDirectoryFile {
    path: string;
    type: 'File' | 'Directory';
    crc32: number;
    uncompressedSize: number;
    stream(): NodeJS.ReadableStream;
  }
  const unzipper: { Open: { file(path: string): Promise<{ files: CentralDirectoryFile[] }> } };
  export default unzipper;
}

import fs from 'node:fs';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
const file = process.argv[2];
const mode = process.argv[3];
let t = Date.now();
if (mode === 'read') { for await (const c of fs.createReadStream(file, {highWaterMark: 256*1024})) {} }
if (mode === 'iconv') { for await (const c of fs.createReadStream(file, {highWaterMark: 256*1024}).pipe(iconv.decodeStream('gb18030'))) {} }
if (mode === 'td') { const td = new TextDecoder('gb18030'); for await (const c of fs.createReadStream(file, {highWaterMark: 256*1024})) { td.decode(c, {stream:true}); } }
if (mode === 'parse') { let n=0; const p = fs.createReadStream(file, {highWaterMark: 256*1024}).pipe(iconv.decodeStream('gb18030')).pipe(parse({relax_column_count:true, relax_quotes:true, info:true, bom:true})); for await (const r of p) n++; console.log(n); }
if (mode === 'parse-noinfo') { let n=0; const p = fs.createReadStream(file, {highWaterMark: 256*1024}).pipe(iconv.decodeStream('gb18030')).pipe(parse({relax_column_count:true, relax_quotes:true, bom:true})); for await (const r of p) n++; console.log(n); }
console.log(mode, Date.now() - t, 'ms');

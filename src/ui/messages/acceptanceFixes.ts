// Messages of the fixes the acceptance run of issues 13 and 14 led to.
import { messageSet } from '../messageSet.js';

export const acceptanceFixesMessages = messageSet({
  en: {
    'import.fail.mixed-encoding-gbk': '{where}: this line is UTF-8 although the file before it is GBK/GB18030 (files joined from two exports, or a damaged file); read as GBK it would be stored as garbage; export it again as one file, or name the encoding with --encoding',
  },
  zh: {
    'import.fail.mixed-encoding-gbk': '{where}：文件前面是 GBK/GB18030，这一行却是 UTF-8（两个导出文件被拼接，或文件损坏）；按 GBK 读取会存成乱码；请重新导出为一个文件，或用 --encoding 指定编码',
  },
});

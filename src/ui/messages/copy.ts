// `refunds copy --to TARGET` (issue 19), and the PostgreSQL store errors every command may meet
// (server unreachable, authentication, database missing, privilege, target not empty). Every
// {target}/{url} is masked (store/common/url.ts maskUrl) before it gets here.
import { messageSet } from '../messageSet.js';

export const copyMessages = messageSet({
  en: {
    'copy.done': 'Copied {total} rows from {source} into {target}, every table’s rows counted on both sides:',
    'copy.table': '  {table} {rows}',
    'copy.progress': 'copying {table}: {copied}/{rows} rows, {percent}% of {total} in all',
    'copy.sameTarget': '--to names the database being copied ({target}): give an empty database or a new file to copy into.',
    'copy.mismatch': 'copy stopped: {table} has {source} rows in the source but {target} in the target; nothing was written to {where}.',
    'copy.removedNew': 'removed {target}, which this copy had created.',
    'copy.targetProblem': 'cannot copy into {target}: {message}',
    'error.pg.unreachable': 'cannot reach the PostgreSQL server of {url}: {reason}.',
    'error.pg.auth': 'PostgreSQL refused user "{user}" ({url}): {reason}. Check the password (URL, PGPASSWORD or ~/.pgpass) and the server’s pg_hba.conf.',
    'error.pg.noDatabase': 'the PostgreSQL server of {url} has no database "{database}": create it (README "Team mode") or fix the URL.',
    'error.pg.forbidden': 'user "{user}" lacks a privilege this command needs on {url} ({reason}): ask the shop’s lead, or see README "Team mode" for the GRANTs.',
    'error.pg.notEmpty': '{url} already holds data ({tables}): refunds copy writes only into an empty database. Create a new database or file, or choose another target.',
  },
  zh: {
    'copy.done': '已从 {source} 复制 {total} 行到 {target}，每张表的行数已在两边核对：',
    'copy.table': '  {table} {rows}',
    'copy.progress': '正在复制 {table}：{copied}/{rows} 行，共 {total} 行的 {percent}%',
    'copy.sameTarget': '--to 指向的正是要复制的数据库（{target}）：请给一个空数据库或新文件作为目标。',
    'copy.mismatch': '复制已停止：{table} 在源库有 {source} 行，目标库却有 {target} 行；{where} 中没有写入任何内容。',
    'copy.removedNew': '已删除本次复制新建的 {target}。',
    'copy.targetProblem': '无法复制到 {target}：{message}',
    'error.pg.unreachable': '连不上 {url} 的 PostgreSQL 服务器：{reason}。请检查主机、端口或 ?host= 套接字目录，以及服务器是否在运行。',
    'error.pg.auth': 'PostgreSQL 拒绝了用户 "{user}"（{url}）：{reason}。请检查密码（URL、PGPASSWORD 或 ~/.pgpass）和服务器的 pg_hba.conf。',
    'error.pg.noDatabase': '{url} 的 PostgreSQL 服务器上没有数据库 "{database}"：请先创建（见 README「团队模式」）或改正 URL。',
    'error.pg.forbidden': '用户 "{user}" 在 {url} 上缺少此命令需要的权限（{reason}）：请找店铺主管，或参照 README「团队模式」中的 GRANT。',
    'error.pg.notEmpty': '{url} 中已有数据（{tables}）：refunds copy 只写入空数据库。请新建数据库或文件，或换一个目标。',
  },
});

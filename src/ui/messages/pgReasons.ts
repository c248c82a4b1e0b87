// Why a PostgreSQL connection failed, by the code the backend gives (store/pg/errors.ts details.code:
// a socket error code, a SQLSTATE, or one of its own words), so that a zh message says it in
// Chinese too. A code without an entry keeps the backend's own text (the server's, for instance).
import { messageSet } from '../messageSet.js';

export const pgReasonMessages = messageSet({
  en: {
    'error.pg.why.ECONNREFUSED': 'connection refused (is the server running, on this port?)',
    'error.pg.why.ENOENT': 'no server socket there (is the server running, is ?host= its socket folder?)',
    'error.pg.why.EACCES': 'permission denied on the server socket',
    'error.pg.why.EHOSTUNREACH': 'host unreachable',
    'error.pg.why.ENETUNREACH': 'network unreachable',
    'error.pg.why.ENOTFOUND': 'unknown host name',
    'error.pg.why.EAI_AGAIN': 'host name lookup failed (DNS)',
    'error.pg.why.ETIMEDOUT': 'no answer (timed out)',
    'error.pg.why.ECONNRESET': 'the connection was reset',
    'error.pg.why.EPIPE': 'the connection was closed',
    'error.pg.why.timeout': 'no answer within the connect timeout',
    'error.pg.why.closed': 'the server closed the connection',
    'error.pg.why.no-tls': 'the server does not offer TLS (sslmode asks for it)',
    'error.pg.why.28P01': 'wrong password',
    'error.pg.why.no-password': 'the server asks for a password and none was given',
  },
  zh: {
    'error.pg.why.ECONNREFUSED': '连接被拒绝（服务器是否在运行、是否在这个端口上？）',
    'error.pg.why.ENOENT': '那里没有服务器套接字（服务器是否在运行，?host= 是否是它的套接字目录？）',
    'error.pg.why.EACCES': '无权访问服务器套接字',
    'error.pg.why.EHOSTUNREACH': '主机不可达',
    'error.pg.why.ENETUNREACH': '网络不可达',
    'error.pg.why.ENOTFOUND': '未知的主机名',
    'error.pg.why.EAI_AGAIN': '主机名解析失败（DNS）',
    'error.pg.why.ETIMEDOUT': '没有应答（超时）',
    'error.pg.why.ECONNRESET': '连接被重置',
    'error.pg.why.EPIPE': '连接已关闭',
    'error.pg.why.timeout': '在连接超时内没有应答',
    'error.pg.why.closed': '服务器关闭了连接',
    'error.pg.why.no-tls': '服务器不提供 TLS（sslmode 要求使用）',
    'error.pg.why.28P01': '密码错误',
    'error.pg.why.no-password': '服务器要求密码，但没有提供',
  },
});
